// The guidance as web pages: /guide, /guide/:slug, and /guide/domain/:token — the unguessable link
// that notices and the welcome letter carry, so a client needs no account to read it.
import { Controller, Get, Header, Param, Query, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { Public } from '../auth/roles.decorator';
import { DomainsService } from '../domains/domains.service';
import { GuidanceService } from './guidance.service';
import { domainGuidancePage, notFoundPage, topicIndexPage, topicPage } from './pages';
import { getTopic } from './topics';

@ApiExcludeController()
@Controller('guide')
@Public()
export class GuidancePagesController {
  constructor(
    private readonly guidance: GuidanceService,
    private readonly domains: DomainsService,
  ) {}

  @Get()
  @Header('Content-Type', 'text/html; charset=utf-8')
  index(): string {
    return topicIndexPage(this.guidance.topics());
  }

  @Get('domain/:token')
  @Header('Content-Type', 'text/html; charset=utf-8')
  @Header('Cache-Control', 'no-store')
  @Header('X-Robots-Tag', 'noindex')
  async domain(@Param('token') token: string, @Query('at') at: string | undefined, @Res({ passthrough: true }) res: Response): Promise<string> {
    const domain = await this.domains.findByGuidanceToken(token);
    if (!domain) {
      res.status(404);
      return notFoundPage();
    }
    const when = this.guidance.parseAt(at);
    return domainGuidancePage(this.guidance.forDomain(domain, when), when, this.guidance.topics());
  }

  @Get(':slug')
  @Header('Content-Type', 'text/html; charset=utf-8')
  topic(@Param('slug') slug: string, @Res({ passthrough: true }) res: Response): string {
    const topic = getTopic(slug);
    if (!topic) {
      res.status(404);
      return notFoundPage();
    }
    return topicPage(topic, this.guidance.topics());
  }
}
