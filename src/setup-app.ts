// What both main.ts and the tests apply to the Nest application before it listens, the HTTP
// edge included: security headers, CORS (only when configured), body limits and JSON depth. (The
// rate limits are a global guard of AppModule.)
import type { INestApplication } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { json } from 'express';
import helmet from 'helmet';
import { Logger } from 'nestjs-pino';
import { corsOptions, securityHeaders } from './common/http-edge';
import { refuseDeepJson } from './common/request-input';
import { validationPipe } from './common/validation';
import { ASTER_CONFIG } from './config/config.module';
import type { AsterConfig } from './config/config';

export function setupApp(app: INestApplication): void {
  const express = app as NestExpressApplication;
  const config = app.get<AsterConfig>(ASTER_CONFIG);
  express.useLogger(app.get(Logger));
  express.disable('x-powered-by');
  // Behind a proxy, req.ip (which the rate limits count by) is the client's only if the proxy is trusted.
  if (config.http.trustProxy !== undefined) express.set('trust proxy', config.http.trustProxy);
  express.set('query parser', 'extended');
  express.use(helmet(securityHeaders(config)));
  const cors = corsOptions(config);
  if (cors) express.enableCors(cors);
  // express.json itself rather than useBodyParser, which keeps `verify` for Nest's rawBody option
  // (unused here): the depth check must see the bytes before JSON.parse does. Nest sees the
  // jsonParser in place and adds no second one.
  express.use(json({ limit: '1mb', verify: refuseDeepJson }));
  express.useBodyParser('text', { type: ['text/csv', 'text/plain'], limit: '10mb' });
  app.useGlobalPipes(validationPipe());
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Aster')
      .setDescription(
        "Domain registry, registrar-mail relay and transfer guidance for web hosts that keep their clients' domain names. " +
          'Every endpoint but /api/health needs `Authorization: Bearer <token>`. Errors: `{ statusCode, message, errors? }`.',
      )
      .setVersion('0.1.0')
      .addBearerAuth()
      .build(),
  );
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs/json' });
}
