import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ClientsModule } from '../clients/clients.module';
import { DomainsModule } from '../domains/domains.module';
import { RegistrarsModule } from '../registrars/registrars.module';
import { BounceAddresses } from './delivery/bounce-addresses';
import { DeliveriesService } from './delivery/deliveries.service';
import { DeliveryAttempt } from './delivery/delivery-attempt.entity';
import { Delivery } from './delivery/delivery.entity';
import { DeliveryWorker } from './delivery/delivery.worker';
import { Forwarder } from './delivery/forwarder';
import { Letters } from './delivery/letters';
import { Relay } from './delivery/relay';
import { WelcomeController, WelcomeService } from './delivery/welcome';
import { InboundMessage } from './intake/inbound-message.entity';
import { IntakePipeline } from './intake/intake.pipeline';
import { RawMessage } from './intake/raw-message.entity';
import { SmtpReceiver } from './intake/receive';
import { RoutingStore } from './intake/routing-store';
import { MessageStore } from './intake/store';
import { MessagesController } from './messages/messages.controller';
import { MessagesService } from './messages/messages.service';

/** The registrar-mail relay: SMTP intake, routing pipeline, deliveries and the staff message API. */
@Module({
  imports: [TypeOrmModule.forFeature([InboundMessage, RawMessage, Delivery, DeliveryAttempt]), ClientsModule, DomainsModule, RegistrarsModule],
  controllers: [MessagesController, WelcomeController],
  providers: [
    BounceAddresses,
    MessageStore,
    IntakePipeline,
    RoutingStore,
    SmtpReceiver,
    MessagesService,
    DeliveriesService,
    Relay,
    Letters,
    DeliveryWorker,
    Forwarder,
    WelcomeService,
  ],
  exports: [SmtpReceiver, IntakePipeline, DeliveryWorker, DeliveriesService, MessagesService, WelcomeService],
})
export class MailModule {}
