// What gives away a letter that imitates a registrar notice: solicitations dressed as renewal
// invoices ("domain slamming"), search-engine "expiration" offers, resale and drop-catch offers,
// "brand registration" letters, fake suspensions, and phishing for a login or a transfer code.
// Data only; classify.ts weighs the signals that fire and, past SUSPICION_THRESHOLD, presents the
// message as suspicious with each signal's reason, written to be shown to the domain's client.
//
// Phrases are regular-expression sources, matched case-insensitively with Unicode letter
// boundaries on both ends, against the subject and the body (one line, whitespace collapsed).
// Weights: 3 decides on its own (a statement no registrar notice makes); 2 and 1 only together.

export interface ScamPhraseSignal {
  id: string;
  weight: number;
  /** Plain language for the client; `{registrar}` is not used here (see classify.ts). */
  reason: string;
  phrases: string[];
}

/** A message is suspicious when the weights of the signals that fired reach this. */
export const SUSPICION_THRESHOLD = 3;

export const OFFER_REASON = 'This is an offer from a company that is not your registrar; you do not need to pay it.';
export const CREDENTIALS_REASON = "It asks for your domain's transfer code or your login, which a registrar never asks for by e-mail.";

export const SCAM_PHRASES: readonly ScamPhraseSignal[] = [
  {
    // The small print that US and EU law make slammers print: "This notice is not a bill".
    id: 'solicitation-disclaimer',
    weight: 3,
    reason: OFFER_REASON,
    phrases: [
      '(this|the) (notice|letter|offer|form|e-?mail|message)? ?(is )?not an? (bill|invoice)',
      'this is not an? (bill|invoice)',
      'this is a solicitation',
      'is a solicitation',
      'we do not (register|renew) (or (renew|register) )?domain names',
      'we are not (a|your) (domain( name)?)? ?registrar',
      '(switching|transfer) to .{1,60} is not mandatory',
      'no obligation to pay',
      // de
      'keine Rechnung',
      'sondern ein Angebot',
      '(Rechnung|Schreiben|Mitteilung) ist ein Angebot',
      'kein (Domain)?registrar',
      'keine Zahlungspflicht',
      'Zahlung ist nicht verpflichtend',
      'nehmen Sie (unser|das) Angebot',
      'unverbindliches Angebot',
      // fr
      "(ceci|ce courrier|ce document) n['’]est pas une facture",
      "il s['’]agit d['’]une (offre|proposition) commerciale",
      "nous ne sommes pas (un|votre) (bureau d['’]enregistrement|registrar)",
      // es
      'no es una factura',
      '(esto|este documento) es una oferta',
      'no somos (un|su) registrador',
      // nl
      'geen factuur',
      'dit is een aanbieding',
      'geen betalingsverplichting',
      'wij zijn geen registrar',
      // it
      'non è una fattura',
      "si tratta di un['’]offerta",
      'non siamo (un|il vostro) registrar',
      // cs
      'nejedná se o fakturu',
      'toto (je|není) .{0,20}nabídka',
      'nejsme registrátor',
      // pl pt sv da ru
      'nie jest fakturą',
      'não é uma fatura',
      'detta är inte en faktura',
      'dette er ikke en faktura',
      'это не сч[её]т',
    ],
  },
  {
    // Slamming: an "expiration notice" whose renewal moves the domain to the sender.
    id: 'switch-offer',
    weight: 3,
    reason: OFFER_REASON,
    phrases: [
      'when you switch (today )?to',
      '(notice|offer) to transfer your domain',
      'authori[sz]e the transfer of your domain name registration to (our|us)',
      'transfer your domain name registration from your current registrar',
      'switching to .{1,60} (is|was) not mandatory',
    ],
  },
  {
    // A third party that offers to "help" renew a domain it does not manage.
    id: 'renewal-service-offer',
    weight: 2,
    reason: OFFER_REASON,
    phrases: ['we will help you (to )?renew', 'renews your domain (for|in) your favou?r', 'we can renew (it|your domain) for you'],
  },
  {
    id: 'search-engine-offer',
    weight: 3,
    reason: 'It sells a search-engine listing, not the renewal of your domain; it is not from your registrar and you do not need to pay it.',
    phrases: [
      'search engine (submission|optimi[sz]ation|registration|listing|traffic)',
      'traffic generator',
      '(domain|business) (name )?(search engine )?listing',
      'SEO[- ](service|registration|entry|eintrag|listing)',
      'Suchmaschinen-?\\s?(eintrag|optimierung)\\p{L}*',
      'référencement (sur les moteurs|payant)',
      'posicionamiento (web|en buscadores)',
      'zoekmachine(optimalisatie|vermelding)',
      'posizionamento sui motori',
      'registrace do vyhledávačů',
    ],
  },
  {
    // "Asian brand/keyword registration" letters and their European imitations.
    id: 'brand-registration',
    weight: 3,
    reason:
      'It is a sales letter that presses you to register more names because "another company" supposedly wants them; it is not from your registrar and needs no answer.',
    phrases: [
      '(brand name|internet keyword|net brand)',
      'intellectual property (rights|protection)',
      '(letter|forward this) to (your |the )?(CEO|head of)',
      'domain name registration (and dispute )?(center|centre|organi[sz]ation)',
      'applying to register',
      '(distributor|business partner) in (China|Asia)',
      'unconditionally approve',
      '(conflicts?|coincides?) with your (company|brand|trademark)',
      'wil claimen',
      'anders wordt de aanvraag',
      'coincide con il vostro',
      '(proteggere|tutelare) il vostro marchio',
      'shodný s Vaší',
      'schválíme žádost',
      'přednostní registrac\\p{L}*',
      'ochran\\p{L}* (ochranné )?známky',
      'approve the application',
    ],
  },
  {
    id: 'resale-offer',
    weight: 3,
    reason: 'It offers to sell you a domain (or to buy yours); it is not a notice about your domain and not from your registrar.',
    phrases: [
      '(I|we) (have|own|hold) .{0,100}for sale',
      'backorder',
      '(make|leave|send) (us )?(an|your) (early )?offer',
      'acquired a similar domain',
      'you own a (very )?similar domain',
      'interested in (buying|selling|being the new owner)',
      'escrow',
      'appraisal',
      'returned (back )?to the open market',
      '(has )?(just )?become available (for registration|to register|again)?.{0,80}(secure|register|buy|grab) it',
      'before (a|your) competitors? (does|do|gets? it|registers? it)',
      'goes to auction',
      'zu verkaufen',
      'à vendre',
      'en venta',
      'te koop',
      'in vendita',
      'na prodej',
    ],
  },
  {
    id: 'credentials-request',
    weight: 3,
    reason: CREDENTIALS_REASON,
    phrases: [
      'reply .{0,60}(with|including) .{0,80}(code|password|username|user name|login)',
      'sign in with your (mailbox|e-?mail) address and (current )?password',
      '(provide|send) us (with )?(an? |the |your )?(EPP|auth|authori[sz]ation|transfer) ?(key|code|info)',
      '(send|give|tell) us your (password|login)',
      'confirm your (credit )?card details',
      'enter (it|the code|your code) at',
      // de fr es nl it cs
      'senden Sie uns (Ihren|Ihr|den) (AuthInfo|Auth-Code|Passwort)',
      'envoyez-nous (votre|le) (code|mot de passe)',
      'envíenos (su|el) (código|contraseña)',
      'stuur ons (uw|de) (verhuistoken|code|wachtwoord)',
      'inviateci (il|la vostra|la tua) (codice|password)',
      'zašlete nám (heslo|autorizační)',
    ],
  },
  {
    id: 'complaint-download',
    weight: 3,
    reason: 'It threatens your domain and asks you to download a file "with the complaints"; registrars do not send complaints as downloads.',
    phrases: [
      'download (a copy of )?(the )?(complaints?|document|report)',
      'télécharger (le|la|les) (document|plainte)',
      '(Beschwerde|Dokument) herunterladen',
      'descargu?e? (el|la) (documento|queja)',
      'download (het|de) (document|klacht)',
      'scarica(re)? (il|la) (documento|reclamo)',
      'stáhněte (si )?(dokument|stížnost)',
    ],
  },
  {
    // A card number or an account to pay into, and a deadline in hours: pressure a registrar's
    // renewal reminder does not need.
    id: 'payment-pressure',
    weight: 1,
    reason: 'It presses for payment within hours or days, as fraudulent invoices do.',
    phrases: [
      '(pay|payment|renew|paid) (with)?in (24|48|72) hours',
      'within (24|48) hours',
      'binnen (7|14) dagen (over te maken|te betalen)',
      'entro (24|48) ore',
      'do (24|48) hodin',
      'sous (24|48) heures',
      'innerhalb von (7|14) Tagen (auf das|zu überweisen)',
      'en las próximas (24|48) horas',
      'billing card',
      'accept all major credit cards',
      'card number',
      'IBAN',
      'direct transfer to',
    ],
  },
  {
    id: 'invoice-attached',
    weight: 1,
    reason: 'It comes with an invoice for a domain from a company that is not known as a registrar.',
    phrases: [
      'se adjunta la factura',
      'in de bijlage vindt u de factuur',
      'bijgaand ontvangt u de factuur',
      'anbei erhalten Sie die Rechnung',
      'hiermit erhalten sie die Rechnung',
      'ci-joint (la|votre) facture',
      'in allegato (la|trovi la) fattura',
      'v příloze (zasíláme )?fakturu',
      '(please find|attached is) (the |your )?(attached )?invoice',
      'openstaande factuur',
    ],
  },
  {
    // "Payment … for the renewal": alone, every registrar's reminder; with another signal, a demand.
    id: 'payment-demand',
    weight: 1,
    reason: 'It demands payment for your domain.',
    phrases: [
      'debe abonar',
      'tasa de renovación',
      '(pay|pago|payer|zahlen|betalen|pagare|zaplatit) (now|ahora|maintenant|jetzt|nu|ora|nyní)',
      'PAY NOW',
      'secure (online )?payment',
      'pay securely',
      'pay by card',
      'Bitte überweisen Sie',
      'Bitte zahlen Sie',
      'verzoeken u het bedrag',
      'effettua il pagamento',
      'provést platbu',
      'régler le renouvellement',
    ],
  },
];

/** Sender names that pose as an authority (an office, a registry, a "registration center"). */
export const OFFICIAL_SOUNDING_SENDER = [
  'oficina',
  'office',
  'registry',
  'registration (center|centre|department)',
  'registro',
  'centrum',
  'center',
  'centre',
  'audit',
  'compliance',
];

/**
 * Registrar and registry brands, with the registrable domains their mail and links really use. A
 * host that carries the brand as a label (namecheap-billing.com, ovh-renouvellement-client.com,
 * gandi-abuse-desk.com) or another brand domain inside it (networksolutions.com.site568.biz,
 * console-register-com.tundra-web.net), on a registrable domain not listed here, is a look-alike.
 */
export interface RegistrarBrand {
  name: string;
  /** Lowercase host labels (split at dots and hyphens) that name the brand. */
  labels: string[];
  /** Words in a From display name that claim the brand. */
  displayNames: string[];
  domains: string[];
}

export const REGISTRAR_BRANDS: readonly RegistrarBrand[] = [
  { name: 'Gandi', labels: ['gandi'], displayNames: ['gandi'], domains: ['gandi.net', 'gandi.fr', 'gandi.com'] },
  { name: 'Namecheap', labels: ['namecheap'], displayNames: ['namecheap'], domains: ['namecheap.com', 'namecheapmail.com'] },
  { name: 'GoDaddy', labels: ['godaddy'], displayNames: ['godaddy'], domains: ['godaddy.com', 'secureserver.net', 'godaddy.net'] },
  {
    name: 'OVHcloud',
    labels: ['ovh', 'ovhcloud'],
    displayNames: ['ovh', 'ovhcloud'],
    domains: ['ovh.com', 'ovh.net', 'ovhcloud.com', 'ovh.fr', 'ovh.de', 'ovh.es', 'ovh.it', 'ovh.co.uk'],
  },
  {
    name: 'Network Solutions',
    labels: ['netsol', 'networksolutions'],
    displayNames: ['network solutions', 'netsol'],
    domains: ['networksolutions.com', 'netsol.com', 'web.com'],
  },
  {
    name: 'IONOS',
    labels: ['ionos', '1and1'],
    displayNames: ['ionos', '1&1'],
    domains: ['ionos.com', 'ionos.de', 'ionos.fr', 'ionos.es', 'ionos.co.uk', '1und1.de', '1and1.com'],
  },
  { name: 'Aruba', labels: ['aruba'], displayNames: ['aruba'], domains: ['aruba.it', 'arubabusiness.it', 'aruba.com'] },
  { name: 'WEDOS', labels: ['wedos'], displayNames: ['wedos'], domains: ['wedos.cz', 'wedos.com', 'wedos.net'] },
  { name: 'Register.it', labels: ['registerit'], displayNames: ['register.it'], domains: ['register.it', 'register.com', 'dada.eu'] },
  { name: 'Linube', labels: ['linube'], displayNames: ['linube'], domains: ['linube.com'] },
  { name: 'Tucows', labels: ['tucows'], displayNames: ['tucows'], domains: ['tucows.com', 'tucowsdomains.com', 'opensrs.net', 'opensrs.com'] },
  { name: 'ICANN', labels: ['icann'], displayNames: ['icann'], domains: ['icann.org'] },
  { name: 'Hover', labels: ['hover'], displayNames: ['hover'], domains: ['hover.com'] },
  { name: 'Porkbun', labels: ['porkbun'], displayNames: ['porkbun'], domains: ['porkbun.com'] },
  { name: 'Dynadot', labels: ['dynadot'], displayNames: ['dynadot'], domains: ['dynadot.com'] },
  { name: 'NameSilo', labels: ['namesilo'], displayNames: ['namesilo'], domains: ['namesilo.com'] },
  { name: 'Hostinger', labels: ['hostinger'], displayNames: ['hostinger'], domains: ['hostinger.com'] },
  { name: 'STRATO', labels: ['strato'], displayNames: ['strato'], domains: ['strato.de', 'strato.com'] },
  { name: 'Infomaniak', labels: ['infomaniak'], displayNames: ['infomaniak'], domains: ['infomaniak.com', 'infomaniak.ch'] },
  { name: 'Squarespace', labels: ['squarespace'], displayNames: ['squarespace'], domains: ['squarespace.com'] },
  { name: 'Cloudflare', labels: ['cloudflare'], displayNames: ['cloudflare'], domains: ['cloudflare.com'] },
  { name: 'TransIP', labels: ['transip'], displayNames: ['transip'], domains: ['transip.nl', 'transip.eu'] },
  { name: 'Dinahosting', labels: ['dinahosting'], displayNames: ['dinahosting'], domains: ['dinahosting.com'] },
  { name: 'Arsys', labels: ['arsys'], displayNames: ['arsys'], domains: ['arsys.es'] },
  { name: 'FORPSI', labels: ['forpsi'], displayNames: ['forpsi'], domains: ['forpsi.com', 'forpsi.cz'] },
  { name: 'ACTIVE 24', labels: ['active24'], displayNames: ['active 24', 'active24'], domains: ['active24.cz', 'active24.com'] },
  { name: 'CZ.NIC', labels: ['cznic'], displayNames: ['cz.nic'], domains: ['nic.cz'] },
  { name: 'EURid', labels: ['eurid'], displayNames: ['eurid'], domains: ['eurid.eu'] },
  { name: 'DENIC', labels: ['denic'], displayNames: ['denic'], domains: ['denic.de'] },
  { name: 'Nominet', labels: ['nominet'], displayNames: ['nominet'], domains: ['nominet.uk', 'nominet.org.uk'] },
  { name: 'Afnic', labels: ['afnic'], displayNames: ['afnic'], domains: ['afnic.fr'] },
  { name: 'SIDN', labels: ['sidn'], displayNames: ['sidn'], domains: ['sidn.nl'] },
  { name: 'Webfusion', labels: ['webfusion'], displayNames: ['webfusion'], domains: ['webfusion.co.uk', '123-reg.co.uk'] },
];

/**
 * Registries send genuine notices about a domain although they are nobody's registrar of record
 * (CZ.NIC's expiry and transfer notices, EURid's transfer codes, Nominet's suspensions).
 */
export const REGISTRY_SENDER_DOMAINS = [
  'nic.cz',
  'eurid.eu',
  'denic.de',
  'nominet.uk',
  'nominet.org.uk',
  'afnic.fr',
  'sidn.nl',
  'dns.be',
  'nic.it',
  'switch.ch',
  'nic.at',
  'dk-hostmaster.dk',
  'iis.se',
  'dns.pl',
  'registro.br',
  'dominios.es',
  'icann.org',
  'verisign.com',
  'pir.org',
];

/** Top-level domains most abused for spam and phishing (Spamhaus, Interisle): no registrar we know mails from them. */
export const ABUSED_TLDS = [
  'top',
  'icu',
  'xyz',
  'click',
  'cyou',
  'sbs',
  'cfd',
  'buzz',
  'rest',
  'bond',
  'loan',
  'work',
  'gq',
  'tk',
  'ml',
  'cf',
  'ga',
  'zip',
  'mov',
];

/** Free mailbox providers: a registrar never sends its notices from one. */
export const FREE_MAIL_DOMAINS = [
  'gmail.com',
  'googlemail.com',
  'outlook.com',
  'hotmail.com',
  'hotmail.fr',
  'hotmail.de',
  'live.com',
  'msn.com',
  'yahoo.com',
  'yahoo.fr',
  'yahoo.de',
  'aol.com',
  'gmx.de',
  'gmx.net',
  'gmx.com',
  'web.de',
  'mail.ru',
  'yandex.ru',
  'yandex.com',
  'qq.com',
  '163.com',
  '126.com',
  'protonmail.com',
  'proton.me',
  'icloud.com',
  'seznam.cz',
  'libero.it',
  'orange.fr',
  'laposte.net',
  'wp.pl',
  'o2.pl',
  'zoho.com',
];

/** Words that, in a body, threaten the domain (suspension, deletion, termination). */
export const THREAT_PHRASES = [
  'suspen(d|ded|sion)',
  'terminat(e|ed|ion)',
  '(deleted|deactivated|released|cancell?ed)',
  'abuse',
  'complaints?',
  'gesperrt',
  'gelöscht',
  'Sperrung',
  'suspendu',
  'supprimée?',
  'suppression',
  'suspendido',
  'eliminado',
  'desactivado',
  'verwijder(d|ing)',
  'opgeschort',
  'sospeso',
  'cancellazione',
  'disattivazione',
  'vypnutí',
  'zrušen\\p{L}*',
  'uvolněna',
];

/** Words that ask for money for the domain. */
export const PAYMENT_PHRASES = [
  'pay(ment)?',
  'invoice',
  'renew (now|online|today)',
  'Rechnung',
  'Zahlung',
  'überweisen',
  'facture',
  'paiement',
  'règlement',
  'factura',
  'pago',
  'abonar',
  'factuur',
  'betaling',
  'betalen',
  'fattura',
  'pagamento',
  'platb\\p{L}*',
  'faktur\\p{L}*',
  'zaplatit',
];
