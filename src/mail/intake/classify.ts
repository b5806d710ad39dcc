// The pure core of the classify stage: what kind of notice a registrar message is, decided by a
// table of rules that a reviewer can read top to bottom.

export const NOTICE_KINDS = [
  'transfer_request',
  'transfer_completed',
  'transfer_rejected',
  'auth_code',
  'expiry_reminder',
  'expired',
  'renewal_confirmation',
  'whois_data_reminder',
  'registrant_verification',
  'registrant_change',
  'suspension',
  'other',
] as const;

export type NoticeKind = (typeof NOTICE_KINDS)[number];

export interface Classification {
  kind: NoticeKind;
  /** The id of the rule that decided, or 'none'. */
  rule: string;
}

export interface NoticeRule {
  id: string;
  kind: Exclude<NoticeKind, 'other'>;
  /** Any of these on the subject (reply/forward/ticket prefixes removed) decides. */
  subject?: RegExp[];
  /** Any of these on the body text decides, when no rule decided on the subject. */
  text?: RegExp[];
  /**
   * The rule's subject patterns do not fire on a subject in which one of these occurs. Only the
   * subject: it says one thing, while a body holds many sentences, and one of them must not veto
   * another; body patterns carry their own context instead.
   */
  subjectUnless?: RegExp[];
  /** When set, the rule fires only if the body text also matches one of these. */
  andText?: RegExp[];
}

/*
 * How the table is read: first every rule's `subject` patterns, top to bottom, against the subject;
 * the first rule that fires (no `subjectUnless` pattern on the subject, and `andText` satisfied)
 * decides. Only if none does, every rule's `text` patterns, top to bottom, against the body. The subject is what the registrar chose to say about the message, the body is
 * full of boilerplate (footers that mention auth codes, expiry dates and suspensions), so the body
 * patterns are narrower: statements about this domain, mostly in the past or present tense.
 *
 * The order settles overlaps, most specific first:
 * - suspension before verification: a suspension for an unanswered ICANN verification request talks
 *   about verification too; a verification request only threatens suspension ("will be suspended",
 *   "to avoid suspension", which the suspension rule stands aside for).
 * - the WHOIS data reminder before verification: both ask the registrant to look at their data, but
 *   the yearly reminder says so by name (WDRP, "annual", "review").
 * - registrant change before the transfer rules: Nominet calls a change of registrant a
 *   "registrant transfer".
 * - rejected before completed before auth code before request: a rejection "could not be completed",
 *   a completed transfer mentions its request, and a request may say an auth code was used. The
 *   auth-code rule stands aside where the code is only said to have been used.
 * - renewal confirmation before expired before expiry reminder: a receipt states the new expiry date,
 *   an expiry notice urges renewal.
 *
 * Nominet's registrar TAG change (.uk): the losing registrar releases the domain to the new TAG and
 * the change is immediate, so a notice that a TAG/registrar change happened is transfer_completed;
 * only a notice of a change that is requested, pending or awaiting a handshake is transfer_request.
 *
 * Patterns use `(?!\p{L})` rather than `\b` after a word that may end in an accented letter (and
 * `(?<!\p{L})` before one that may start with one), because `\b` knows only ASCII letters.
 */
export const NOTICE_RULES: readonly NoticeRule[] = [
  {
    // A domain taken out of service: mostly the ICANN WHOIS-accuracy suspension (RAA 2013, WHOIS
    // Accuracy Program Specification §4) after an unanswered verification request; abuse too.
    id: 'suspension',
    kind: 'suspension',
    subject: [
      /\bsuspen(ded|sion)\b/i,
      /\bdeactivated\b/i,
      /\b(placed|put) on (client|server)?\s?hold\b/i,
      /\b(gesperrt|Sperrung|deaktiviert)(?!\p{L})/iu,
      /\b(suspendu|désactivé)e?s?(?!\p{L})/iu,
    ],
    text: [
      /\b(has|have) been (temporarily |now )?(suspended|deactivated)\b/i,
      /\b(was|were) (temporarily )?(suspended|deactivated)\b/i,
      /\b(is|are) (now |currently )?suspended\b/i,
      /\bwe (have )?(suspended|deactivated)\b/i,
      /\bwurde (vorübergehend )?(gesperrt|deaktiviert)(?!\p{L})/iu,
      /\ba été (suspendu|désactivé)(?!\p{L})/iu,
    ],
    subjectUnless: [
      /\b(will|would|could|may|might|can) (also )?be (suspended|deactivated)\b/i,
      /\b(avoid|prevent)(s|ing)? (a |the |any )?(domain )?(suspension|deactivation)\b/i,
      /\bbefore (it|your domain|the domain) is suspended\b/i,
      // An expired domain is often suspended too; the expiry is the news and renewing the cure.
      /\bexpir/i,
    ],
  },
  {
    // ICANN Change of Registrant (Transfer Policy Part II), Nominet "registrant transfer",
    // EURid/OVH "trade", German "Inhaberwechsel", French "changement de titulaire".
    id: 'registrant-change',
    kind: 'registrant_change',
    subject: [
      /\bchange of (the )?(registrant|owner(ship)?|holder|domain (owner|holder))\b/i,
      /\b(registrant|owner(ship)?|holder) (change|transfer)\b/i,
      /\b(registrant|owner|holder)( information| details| data| contact)? (has been |was )?changed\b/i,
      /\bnew (registrant|owner|holder)\b/i,
      /\btransfer of (the )?(registrant|ownership|domain ownership)\b/i,
      /\btrade (request|of|for|completed|confirmation)\b/i,
      /\b(Inhaberwechsel|Besitzerwechsel|Halterwechsel|Inhaberänderung)(?!\p{L})/iu,
      /\bchangement de (titulaire|propriétaire|détenteur)(?!\p{L})/iu,
      /\btransfert de (propriété|titulaire)(?!\p{L})/iu,
    ],
    text: [
      /\bchange of registrant (request|confirmation|has been|was|is|for|of)\b/i,
      /\bregistrant (change|transfer) (request|confirmation|has been|was|is|for|of)\b/i,
      /\b(confirm|approve|authori[sz]e) (the |this )?(change of registrant|registrant change)\b/i,
      /\b(registrant|owner|holder) of .{1,100}? (has been|was) changed\b/i,
      /\b(registrant|owner|holder) of .{1,100}? will (be )?change(d)?\b/i,
      /\bchange of (the )?(owner(ship)?|registrant|holder)( \([^)]{1,40}\))? (of|for) .{1,100}? (has been|was|is) (requested|made|initiated|completed|confirmed)\b/i,
      /\b(Inhaberwechsel|Halterwechsel)(?!\p{L})/iu,
      /\bchangement de (titulaire|propriétaire)(?!\p{L})/iu,
    ],
  },
  {
    // A transfer that did not happen: rejected or denied by someone, timed out, cancelled, NACKed.
    id: 'transfer-rejected',
    kind: 'transfer_rejected',
    subject: [
      /\btransfer\b.{0,60}?\b(rejected|declined|denied|refused|failed|cancell?ed|aborted|unsuccessful|nack(ed)?|not (been )?(completed|successful|approved)|could not be (completed|processed))\b/i,
      /\b(rejected|declined|denied|failed|cancell?ed|unsuccessful) (domain )?transfer\b/i,
      /\b(could not|couldn't|cannot|unable to|failed to) (complete (the |your )?|process (the |your )?)?transfer\b/i,
      /\btransfer\b.{0,60}?\btimed out\b/i,
      /\btransfert\b.{0,60}?(refusée?s?|rejetée?s?|échouée?s?|annulée?s?|en échec)(?!\p{L})/iu,
      /(?<!\p{L})(échec|refus|rejet|annulation) (du|de votre|de la demande de) transfert\b/iu,
      /\b(Transfer|Providerwechsel|Anbieterwechsel)\b.{0,60}?(abgelehnt|fehlgeschlagen|gescheitert|abgebrochen|storniert)(?!\p{L})/iu,
    ],
    text: [
      /\btransfer\b.{0,100}? (has been|was|were|had been) (rejected|declined|denied|refused|cancell?ed|aborted|nack(ed)?|not approved)\b/i,
      /\b(rejected|declined|denied|refused|cancell?ed|nacked) (the|your|this) (domain )?transfer\b/i,
      /\btransfer (has |have )?failed\b/i,
      /\btransfer .{0,60}?could not be (completed|processed)\b/i,
      /\b(unable|not able) to (complete|process) (the|your|this) transfer\b/i,
      /\btransfert\b.{0,100}? a été (refusée?|rejetée?|annulée?)(?!\p{L})/iu,
      /\b(Transfer|Providerwechsel|Anbieterwechsel)\b.{0,100}? wurde (abgelehnt|abgebrochen|storniert)(?!\p{L})/iu,
    ],
  },
  {
    // A transfer (or Nominet TAG change, see above) that has happened: the domain left or arrived.
    id: 'transfer-completed',
    kind: 'transfer_completed',
    subject: [
      /\btransfer (out |away |in )?(request )?(is |has been |was )?(completed?|successful|succeeded|finished|done)\b/i,
      /\b(completed|successful|finished) (domain )?transfer\b/i,
      // "Transfer of X from Gandi completed", "Transfer status: complete"; not "… so it can be
      // completed" (a request). "Not completed" was taken by the rejection rule above.
      /\btransfer\b.{0,60}?(?<!\b(can|will|to|must|should|may) be |\bto )\b(completed?|successful|succeeded|finished)\b/i,
      /\b(has been|was|have been|were) (successfully )?transferred\b/i,
      /\btransferred (out|away|to)\b/i,
      /\b(moved|transferred) to (a |another |its )?new registrar\b/i,
      /\b(registrar|ips )?tag (has been |was )?changed\b/i,
      // A registrar/TAG change with no word of a request anywhere in the subject (see above).
      /^(?!.*\b(request(ed)?|pending|awaiting|handshake)\b).*\b(registrar|tag) change\b/i,
      /\btransfert\b.{0,40}?(effectuée?|réussie?|terminée?|finalisée?|complétée?|confirmée?)(?!\p{L})/iu,
      /\ba été transférée?(?!\p{L})/iu,
      /\b(Transfer|Providerwechsel|Anbieterwechsel|Umzug)\b.{0,40}?(abgeschlossen|erfolgreich|durchgeführt|vollzogen)(?!\p{L})/iu,
      /\b(erfolgreich )?(transferiert|umgezogen)(?!\p{L})/iu,
    ],
    text: [
      /\btransfer\b.{0,100}? (has been|was|is now) (successfully )?(completed|successful|finali[sz]ed)\b/i,
      /\b(has been|was) (successfully )?transferred (out |away )?(to|from|into)\b/i,
      /\bsuccessfully transferred\b/i,
      /\b(no longer|is no longer) (registered|managed) (with|at|by) us\b/i,
      /\b(registrar|ips )?tag (has been |was )?changed\b/i,
      /\bregistrar\b.{0,40}? (has been|was) changed\b/i,
      /\b(moved|transferred) to (a |another |its )?new registrar\b/i,
      /\ba été transférée?(?!\p{L})/iu,
      /\btransfert\b.{0,100}? a été (effectuée?|finalisée?|réalisée?)(?!\p{L})/iu,
      /\bwurde\b.{0,60}? (erfolgreich )?(transferiert|umgezogen)(?!\p{L})/iu,
      /\b(Transfer|Providerwechsel|Anbieterwechsel)\b.{0,60}? (wurde|ist) .{0,30}?(abgeschlossen|durchgeführt)(?!\p{L})/iu,
    ],
  },
  {
    // The auth code itself (EPP authInfo; "transfer key", DENIC "AuthInfo", EURid "authorisation
    // code"). The body patterns require the code to be given, not merely mentioned.
    id: 'auth-code',
    kind: 'auth_code',
    subject: [
      /\b(auth(ori[sz]ation)?|epp|transfer|secret)[ -]?(code|key)\b/i,
      /\bauth[ -]?info\b/i,
      /\bcode (d['’]autorisation|de transfert|auth(info)?|epp)\b/iu,
      /\b(Transfercode|Autorisierungscode|Auth-Code)(?!\p{L})/iu,
    ],
    text: [
      /\b(auth(ori[sz]ation)?[ -]?(code|info)|epp[ -]?code|authinfo(-code)?|transfer (code|key)|secret code)( for \S+)?( is)?\s*:\s*\S/i,
      /\byour (new )?(auth(ori[sz]ation)?|epp|authinfo|transfer)[ -]?(code|key|info)( for \S+)? is\b/i,
      // "The authorization code for X is Tq8#mL2v": a code-like word (with a digit or a symbol).
      /\b(auth(ori[sz]ation)?|epp|authinfo|transfer)[ -]?(code|key|info)( for \S+)? is:?\s+(?=\S*[\d#!$%&*+=?@^_~-])\S{6,}/i,
      /\b(code d['’]autorisation|code de transfert|code auth(info)?)( du domaine \S+| pour \S+)?( est)?\s*:\s*\S/iu,
      /\b(AuthInfo|Auth-Code|Transfercode)(-Code)?( für \S+)?( lautet|\s*:)\s*\S/iu,
    ],
    // "… authorization code used/accepted": a transfer request or result, not a code.
    subjectUnless: [/\b(code|authinfo|key)\b\W{0,3}((was|were|has been|had been|is being) )?(used|accepted|validated|verified)\b/i],
  },
  {
    // A transfer asked for and awaiting approval or completion (incl. the ICANN Form of
    // Authorization), a Nominet TAG change that is requested or awaits a handshake.
    id: 'transfer-request',
    kind: 'transfer_request',
    subject: [
      /\btransfer (out |away |in )?(request(ed)?|approval|authori[sz]ation|initiated|pending|started|confirmation request)\b/i,
      /\b(request(ed)?|pending|initiated|incoming|outgoing|inbound|outbound|approve|confirm) (your |the |this )?(domain )?transfer\b/i,
      /\btransfer\b.{0,60}? (approved|accepted)\b/i,
      /\brequest(ed)? to transfer\b/i,
      /\btransfer\b.{0,60}? (has been|was|is being) (initiated|requested|started|submitted)\b/i,
      /\bform of authori[sz]ation\b/i,
      /\btransfer (out|away) (of|for|notice|notification)\b/i,
      /\b(registrar|tag) change (request|requested|pending|awaiting)\b/i,
      /\b(release|handshake) (request|requested|pending|required)\b/i,
      /\b(demande de transfert|transfert (sortant|entrant|en cours))(?!\p{L})/iu,
      /\b(Transferanfrage|Transferantrag|Providerwechsel|Anbieterwechsel|KK-Antrag)(?!\p{L})/iu,
    ],
    text: [
      /\b(received|receive|got) an? (transfer )?request to transfer\b/i,
      /\brequest(ed)? (has been made )?to transfer\b/i,
      /\btransfer (out |away )?request\b/i,
      /\bpending transfer\b/i,
      /\bis (being|about to be) transferred\b/i,
      /\b(has|have) requested (a|the) transfer\b/i,
      /\btransfer\b.{0,100}? (has been|was) (initiated|requested|started)\b/i,
      /\b(approve|accept|authori[sz]e|confirm)\b.{0,40}?\btransfer\b/i,
      /\bform of authori[sz]ation\b/i,
      /\b(registrar|tag) change (has been )?request(ed)?\b/i,
      /\bdemande de transfert(?!\p{L})/iu,
      /\b(Transferanfrage|Transferantrag|Providerwechsel|Anbieterwechsel)\b.{0,80}?(beantragt|angefordert|eingegangen|erhalten|eingeleitet)(?!\p{L})/iu,
    ],
  },
  {
    // ICANN Whois Data Reminder Policy: the yearly reminder to review the registration data.
    id: 'whois-data-reminder',
    kind: 'whois_data_reminder',
    subject: [
      /\bwhois data reminder\b/i,
      /\bWDRP\b/,
      /\b(annual|yearly) (whois|registration data|contact|domain data|data|registrant data)( review)? (reminder|review|notice|check)\b/i,
      /\b(review|check) (your |the )?(domain )?(whois|registration|contact|domain)( contact)? (data|information|details)\b/i,
      /\bregistration data (reminder|review)\b/i,
      /\b(Whois-Daten|Whois-Erinnerung|Erinnerung zu (Ihren|den) Whois)(?!\p{L})/iu,
      /\b(rappel|vérification annuelle)\b.{0,30}\b(whois|données)(?!\p{L})/iu,
    ],
    text: [
      /\bwhois data reminder\b/i,
      /\bWDRP\b/,
      /\bICANN\b.{0,160}?\b(annual|yearly|once a year|every year)\b.{0,160}?\b(review|remind|reminder)\b/i,
      /\b(annual|yearly)\b.{0,60}?\b(review|reminder)\b.{0,60}?\b(whois|registration data|contact (data|information|details))\b/i,
    ],
  },
  {
    // Registrant e-mail / contact verification (RAA 2013 WHOIS Accuracy Program Specification),
    // also after a contact change or a new registration.
    id: 'registrant-verification',
    kind: 'registrant_verification',
    subject: [
      /\b(verify|confirm|validate) (your |the )?(domain )?(e-?mail|contact|whois|registrant|owner(ship)?)\b/i,
      /\b(e-?mail|contact|whois|registrant)( address| information| details| data)? (needs|has|have|need) to be (verified|confirmed|validated)\b/i,
      /\b(e-?mail|contact|whois|registrant|owner)( address| information| details| data)? (verification|validation)\b/i,
      /\bverification (required|needed|request|reminder|pending)\b/i,
      /\b(E-Mail-Adresse|Kontaktdaten|Inhaberdaten|Halterdaten)\b.{0,30}?(bestätigen|verifizieren)(?!\p{L})/iu,
      /\b(bestätigen|verifizieren) Sie (Ihre|die) (E-Mail-Adresse|Kontaktdaten|Inhaberdaten|Angaben)(?!\p{L})/iu,
      /\b(Verifizierung|Verifikation|Bestätigung) (Ihrer|der|Ihres) (E-Mail|Kontakt|Domaininhaber|Inhaber)/iu,
      /\b(vérifi|valid|confirm)\p{L}* ((de|du|des|la|votre|vos|l['’])\s*)*(adresse|coordonnées|e-?mail|contact)/iu,
    ],
    text: [
      /\b(verify|confirm|validate)\b.{0,40}?\b(e-?mail address|contact (information|details|data)|whois (information|details|data)|registrant (information|details|data|e-?mail))\b/i,
      /\b(click|use|follow|open) (on )?the (verification|validation|confirmation) link\b/i,
      /\b(bestätigen|verifizieren) Sie\b.{0,40}?(E-Mail-Adresse|Kontaktdaten|Angaben)(?!\p{L})/iu,
      /\b(E-Mail-Adresse|Kontaktdaten)\b.{0,40}?(bestätigen|verifizieren)(?!\p{L})/iu,
      /\b(vérifier|valider|confirmer) (votre |vos |l')?(adresse|coordonnées)(?!\p{L})/iu,
    ],
  },
  {
    // A renewal that happened: confirmation of the renewal itself.
    id: 'renewal-confirmation',
    kind: 'renewal_confirmation',
    subject: [
      /\brenewal (confirmation|confirmed|receipt|successful|succeeded|complete|completed|processed)\b/i,
      /\b(has been|have been|was|were|successfully) renewed\b/i,
      /\bsuccessful(ly)? (domain )?renewal\b/i,
      /\brenewal (is |was |has been )?(complete|completed|successful|confirmed|processed)\b/i,
      /\bthanks? (you )?for (your )?renew(al|ing)\b/i,
      /\brenewed (successfully|for)\b/i,
      /(?<!\b(not|never|be|to)\s(been\s)?)\brenewed\b/i,
      /\b(confirmation|receipt) (of|for) (your )?(domain )?renewal\b/i,
      /\b(wurde|wurden|erfolgreich) .{0,30}?verlängert(?!\p{L})/iu,
      /\b(Verlängerung|Domainverlängerung) (erfolgreich|bestätigt|durchgeführt|abgeschlossen)(?!\p{L})/iu,
      /\b(Bestätigung|Bestaetigung) (der|Ihrer) (Domain)?verlängerung(?!\p{L})/iu,
      /\b(renouvellement (effectué|confirmé|réussi)|a été renouvelé|confirmation de renouvellement)(?!\p{L})/iu,
    ],
    text: [
      /\b(has|have) been (successfully |automatically )?renewed\b/i,
      /\b(was|were) (successfully |automatically )?renewed\b/i,
      /\bsuccessfully renewed\b/i,
      /\brenewal (was|has been) (successful|completed|processed)\b/i,
      /\bthank you for (your )?renew(al|ing)\b/i,
      /\bwurden? .{0,60}?(erfolgreich )?verlängert(?!\p{L})/iu,
      /\ba été renouvelé(?!\p{L})/iu,
    ],
  },
  {
    // A paid invoice, receipt or payment confirmation that is about a renewal (the body says so):
    // a receipt for a new registration is something else.
    id: 'renewal-receipt',
    kind: 'renewal_confirmation',
    subject: [
      /\b(receipt|payment (received|confirmation|confirmed|successful)|order (confirmation|receipt|complete|completed))\b/i,
      /\binvoice\b.{0,60}?\bpaid\b/i,
      /\b(Zahlungsbestätigung|Zahlungseingang|Rechnung|Quittung)(?!\p{L})/iu,
      /\b(facture|reçu|confirmation de (paiement|commande))(?!\p{L})/iu,
    ],
    andText: [/\brenew(al|ed)\b/i, /\bverlänger/iu, /\brenouvel/iu],
    subjectUnless: [/\b(unpaid|overdue|due|failed|declined|unsuccessful|überfällig|fällig|impayée?)(?!\p{L})/iu],
  },
  {
    // ICANN Expired Registration Recovery Policy: the notice after expiry; also redemption.
    id: 'expired',
    kind: 'expired',
    // A certificate, a payment card or an offer that expired is not a domain that did.
    subjectUnless: [/\b(ssl|tls|certificates?|card|offer|coupon|promo\w*|discount|password)\b/i],
    subject: [
      /\bexpired\b/i,
      /\b(redemption|post[- ]expiration|grace period)\b/i,
      /\b(a |ont |est |sont )?expiré(e|s|es)?(?!\p{L})/iu,
      /\b(abgelaufen|ausgelaufen)(?!\p{L})/iu,
    ],
    text: [
      /(?<!\b(once|after|when|if|before|until|unless)\b[^.]{0,40})\b(has|have) (now )?expired\b/i,
      /\b(expired|lapsed) (on|yesterday|today|last)\b/i,
      /(?<!\b(once|after|when|if|before|until|unless)\b[^.]{0,60})\b(domain|registration|name)\b[^.]{0,60}? (has |have )?(now )?expired\b/i,
      /\b(is|are) (now )?expired\b/i,
      /\bin (the |its )?(redemption|renewal grace|auto-?renew grace|expir\w* grace) period\b/i,
      /\b(a|est|sont|ont) expiré(e|s|es)?(?!\p{L})/iu,
      /\b(ist|sind) .{0,30}?abgelaufen(?!\p{L})/iu,
    ],
  },
  {
    // ICANN ERRP pre-expiry reminders (about a month and a week before), auto-renew notices and
    // failed renewal payments: the domain will expire unless someone acts.
    id: 'expiry-reminder',
    kind: 'expiry_reminder',
    subjectUnless: [/\b(ssl|tls|certificates?|card|offer|coupon|promo\w*|discount|sale|password)\b/i],
    subject: [
      /\b(expir(es|ing|ation|y)|will expire|expire)\b/i,
      /\brenewal (reminder|notice|due|required|is due|failed|unsuccessful)\b/i,
      /\b(auto-?renew(al)?|automatic renewal|upcoming renewal|due for renewal)\b/i,
      /\brenew\b/i,
      /\b(Ablauf|Ablaufdatum|Ablaufdatums|Laufzeitende)(?!\p{L})/iu,
      /\bläuft\b.{0,60}?\bab\b/iu,
      /\bVerlängerung (fällig|erforderlich|notwendig)(?!\p{L})/iu,
      /(?<![\p{L}\p{N}])(expire(ra|nt)?|expiration|échéance|arrive à (expiration|échéance)|renouvellement (automatique|à effectuer|nécessaire|requis))(?!\p{L})/iu,
    ],
    text: [
      /\b(will|is going to|is due to|is set to|is about to|are due to) expire\b/i,
      /\bexpires? (on|in|soon|within)\b/i,
      /\bexpiring (soon|on|in|within)\b/i,
      /\b(due|up) for renewal\b/i,
      /\brenew (it |them |your domains? )?(now|today|before|by)\b/i,
      /\b(registration|domain|subscription)\b.{0,60}? (ends|will end|runs out|will run out) (on|in|soon)\b/i,
      /\bläuft\b.{0,60}?\bab\b/iu,
      /\b(expirera|expire (le|dans|bientôt)|arrive(ra)? à (expiration|échéance))(?!\p{L})/iu,
    ],
  },
];

// Reply, forward and ticket prefixes, repeated: "Re: Fwd: [Ticket#123] AW: WG: TR: …".
const SUBJECT_PREFIX = /^\s*(?:(?:re|fwd?|fw|aw|wg|tr|sv|vs|antw|rif|réf|ref)\s*(?:\[\d+\]|\(\d+\))?\s*[:：]|\[[^\]]{0,80}\])\s*/iu;

/** The subject without reply/forward/ticket prefixes, whitespace collapsed. */
export function normaliseSubject(subject: string): string {
  let rest = subject.normalize('NFC').replace(/\s+/g, ' ').trim();
  for (let previous = ''; previous !== rest; ) {
    previous = rest;
    rest = rest.replace(SUBJECT_PREFIX, '');
  }
  return rest;
}

// Enough of a body to hold the notice; what follows is footers and quoted history.
const TEXT_LIMIT = 20_000;

/** The body as one line: quote markers dropped, whitespace collapsed, cut to a sensible length. */
export function normaliseText(text: string): string {
  return text
    .slice(0, TEXT_LIMIT * 2)
    .normalize('NFC')
    .replace(/^[ \t]*(?:>[ \t]?)+/gm, '')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, TEXT_LIMIT);
}

const anyMatch = (patterns: RegExp[] | undefined, value: string) => !!patterns && patterns.some((pattern) => pattern.test(value));

/** The kind of notice a registrar message is, and the rule that said so. */
export function classify(subject: string, text: string): Classification {
  const cleanSubject = normaliseSubject(subject ?? '');
  const cleanText = normaliseText(text ?? '');
  const andText = (rule: NoticeRule) => !rule.andText || rule.andText.some((pattern) => pattern.test(cleanText));
  for (const rule of NOTICE_RULES) {
    if (anyMatch(rule.subject, cleanSubject) && !anyMatch(rule.subjectUnless, cleanSubject) && andText(rule)) {
      return { kind: rule.kind, rule: rule.id };
    }
  }
  for (const rule of NOTICE_RULES) {
    if (anyMatch(rule.text, cleanText) && andText(rule)) return { kind: rule.kind, rule: rule.id };
  }
  return { kind: 'other', rule: 'none' };
}
