// The two addresses a tracked domain is given, built the same way everywhere they are shown or sent.

/** Where the domain's registrar sends its mail for Aster to relay: `<domain>@MAIL_DOMAIN`. */
export function noticeAddress(domainName: string, mailDomain: string): string {
  return `${domainName}@${mailDomain}`;
}

/** The client's unguessable link to the domain's transfer guidance page (GET /guide/domain/:token). */
export function guidanceUrl(publicUrl: string, guidanceToken: string): string {
  return `${publicUrl}/guide/domain/${guidanceToken}`;
}
