// The pure core of the classify stage: what kind of notice a registrar message is, decided by a
// table of rules that a reviewer can read top to bottom (its phrases in other languages are in
// notice-vocabulary.ts), and whether it is a scam imitating one (signals in scam-signals.ts).
import { registrableDomain, toAsciiHost } from '../../domains/domain-name';
import { readHtml } from './match';
import { NOTICE_VOCABULARY } from './notice-vocabulary';
import {
  ABUSED_TLDS,
  FREE_MAIL_DOMAINS,
  OFFICIAL_SOUNDING_SENDER,
  PAYMENT_PHRASES,
  REGISTRAR_BRANDS,
  REGISTRY_SENDER_DOMAINS,
  SCAM_PHRASES,
  SUSPICION_THRESHOLD,
  THREAT_PHRASES,
} from './scam-signals';

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

/** The old reading: the kind, and the id of the rule that decided (or 'none', or 'suspicious'). */
export interface KindReading {
  kind: NoticeKind;
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
const BASE_RULES: readonly NoticeRule[] = [
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
  for (let previous = ''; previous !== rest;) {
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

/** A phrase of the vocabulary or the scam signals as a pattern: case-insensitive, letter-bounded. */
export function phrasePattern(source: string): RegExp {
  return new RegExp(`(?<![\\p{L}\\p{N}])(?:${source})(?![\\p{L}\\p{N}])`, 'iu');
}

/**
 * The rule table as classify reads it: each hand-written rule above with the phrases of every
 * language from notice-vocabulary.ts added to its subject and body patterns.
 */
export const NOTICE_RULES: readonly NoticeRule[] = BASE_RULES.map((rule) => {
  const languages = Object.values(NOTICE_VOCABULARY[rule.id] ?? {});
  const subject = languages.flatMap((list) => list.subject ?? []).map(phrasePattern);
  const text = languages.flatMap((list) => list.text ?? []).map(phrasePattern);
  return { ...rule, subject: [...(rule.subject ?? []), ...subject], text: [...(rule.text ?? []), ...text] };
});

/** What the classifier reads of a message: its parsed parts, and what Aster knows of its registrars. */
export interface NoticeReading {
  subject: string;
  text: string;
  html?: string;
  /** The From header as text ("Gandi" <noreply@gandi.net>), or null. */
  from: string | null;
  fromAddress?: string | null;
  /** The hrefs of its links; read from the HTML when not given. */
  links?: string[];
  /** The registrars on file for the matched domains (may be empty: unknown). */
  registrarOfRecord?: { name: string; senderDomains: string[] }[];
  /** Every registrar's sender domains on file. */
  knownRegistrarDomains?: string[];
  /** The sender's domain passed DMARC/DKIM/SPF alignment (verify stage). */
  senderVerified?: boolean;
  /** "Today" for dates in the message; the time of classifying when not given. */
  today?: Date;
}

export interface Classification {
  kind: NoticeKind;
  /** How sure the classifier is of `kind`, 0–1; below KIND_CONFIDENCE_THRESHOLD say "could not tell". */
  confidence: number;
  /** The phrases and signals that decided, short and human-readable. */
  evidence: string[];
  /** Why the message is a scam or phishing, in sentences for the client; null when nothing is. */
  suspicious: { reasons: string[] } | null;
  /** The id of the rule that decided: a rule id, 'structure:…', 'suspicious' or 'none'. */
  rule: string;
}

/** Below this, the forwarded copy says plainly that Aster could not tell what the message is. */
export const KIND_CONFIDENCE_THRESHOLD = 0.5;

// How sure a decision is, by what made it (see decideKind).
const CONFIDENCE = {
  subjectAndBody: 0.95,
  subjectOnly: 0.85,
  subjectAgainstBody: 0.7,
  bodyOnly: 0.75,
  bodyAmbiguous: 0.6,
  structureOnly: 0.6,
  nothing: 0.3,
  bounce: 0.9,
} as const;

interface Hit {
  rule: NoticeRule;
  quote: string;
}

const quote = (text: string) => {
  const one = text.replace(/\s+/g, ' ').trim();
  return one.length > 70 ? `${one.slice(0, 67)}…` : one;
};

/**
 * Per pattern list, its patterns joined into one alternation per set of flags: one scan of the text
 * tells whether any of them matches. Most lists match nothing in most messages, so the patterns are
 * run one by one (for the first in order, the evidence) only after a hit. A list whose patterns do
 * not join (a pattern valid alone but not in the joint) has no filter.
 */
const anyOf = new WeakMap<readonly RegExp[], RegExp[] | null>();

function joint(patterns: readonly RegExp[]): RegExp[] | null {
  let filters = anyOf.get(patterns);
  if (filters === undefined) {
    const byFlags = new Map<string, string[]>();
    for (const p of patterns) byFlags.set(p.flags.replace(/[gy]/g, ''), [...(byFlags.get(p.flags.replace(/[gy]/g, '')) ?? []), `(?:${p.source})`]);
    try {
      filters = [...byFlags].map(([flags, sources]) => new RegExp(sources.join('|'), flags));
    } catch {
      filters = null;
    }
    anyOf.set(patterns, filters);
  }
  return filters;
}

function firstMatch(patterns: readonly RegExp[] | undefined, value: string): string | undefined {
  if (!patterns?.length) return undefined;
  const filters = patterns.length > 2 ? joint(patterns) : null;
  if (filters && !filters.some((f) => f.test(value))) return undefined;
  for (const pattern of patterns) {
    const match = pattern.exec(value);
    if (match) return match[0];
  }
  return undefined;
}

function subjectHit(subject: string, text: string): Hit | undefined {
  for (const rule of NOTICE_RULES) {
    const found = firstMatch(rule.subject, subject);
    if (found === undefined || firstMatch(rule.subjectUnless, subject) !== undefined) continue;
    if (rule.andText && firstMatch(rule.andText, text) === undefined) continue;
    return { rule, quote: found };
  }
  return undefined;
}

function bodyHits(text: string): Hit[] {
  const hits: Hit[] = [];
  for (const rule of NOTICE_RULES) {
    const found = firstMatch(rule.text, text);
    if (found === undefined || (rule.andText && firstMatch(rule.andText, text) === undefined)) continue;
    hits.push({ rule, quote: found });
  }
  return hits;
}

/*
 * Structure: markers of a known form that say what a message is whatever its wording. The ICANN
 * Form of Authorization (transfer request), the Expired Registration Recovery Policy (expiry
 * notices), the Whois Data Reminder Policy, a delivery status notification (a bounce, not a
 * notice), and a code-like token right after "code", "password" or "AuthInfo" (the code itself).
 */
interface StructureSignal {
  id: string;
  evidence: string;
  kind: NoticeKind;
  test: (subject: string, text: string) => boolean;
}

const CODE_WORD =
  /(?<![\p{L}\p{N}])(auth(?:ori[sz]ation)?[ -]?(?:code|info)|authinfo|auth-?code|epp[ -]?(?:code|key)|transfer (?:code|key)|verhuistoken|token|heslo|password|passwort|mot de passe|contraseña|wachtwoord|code|código|codice|kód|kod)(?![\p{L}\p{N}])[^:.\n]{0,40}?(?::|\bis\b|\bje\b|\blautet\b|\best\b|\bes\b|\bè\b|\bjest\b|\bär\b|\ber\b)\s*["'“„]?([^\s"'”<>]{6,64})/giu;

/** A code-like token after "code/password/AuthInfo": letters and digits or symbols, not a URL or a date. */
export function codeToken(text: string): { word: string; token: string } | undefined {
  for (const match of text.matchAll(CODE_WORD)) {
    const token = match[2].replace(/[.,;)]+$/, '');
    if (token.length < 6 || /^https?:|www\.|@/i.test(token) || /^\d{1,4}[./-]\d{1,2}[./-]\d{1,4}$/.test(token)) continue;
    const hasDigit = /\d/.test(token);
    const hasLetter = /\p{L}/u.test(token);
    const hasSymbol = /[^\p{L}\p{N}]/u.test(token);
    if ((hasDigit && hasLetter) || (hasSymbol && (hasDigit || hasLetter) && !/^\p{L}+[.-]\p{L}+$/u.test(token))) return { word: match[1], token };
  }
  return undefined;
}

export const STRUCTURE_SIGNALS: readonly StructureSignal[] = [
  {
    id: 'dsn',
    evidence: 'structure: delivery status notification (a bounce)',
    kind: 'other',
    test: (subject) =>
      /^(undeliver(ed|able)|delivery status notification|mail delivery (failed|failure|subsystem)|returned mail|non[- ]delivery|unzustellbar|non remis|no entregado)/i.test(
        subject,
      ),
  },
  {
    id: 'foa',
    evidence: 'structure: FOA (ICANN Form of Authorization)',
    kind: 'transfer_request',
    test: (_s, text) => /\b(form of authori[sz]ation|initial authori[sz]ation for registrar transfer)\b|\bFOA\b/i.test(text),
  },
  {
    id: 'wdrp',
    evidence: 'structure: WDRP (Whois Data Reminder Policy)',
    kind: 'whois_data_reminder',
    test: (s, text) => /\bWDRP\b|whois data reminder policy/i.test(`${s} ${text}`),
  },
  {
    id: 'errp',
    evidence: 'structure: ERRP (Expired Registration Recovery Policy)',
    kind: 'expiry_reminder',
    test: (s, text) => /\bERRP\b|expired registration recovery policy/i.test(`${s} ${text}`),
  },
  { id: 'code', evidence: '', kind: 'auth_code', test: (_s, text) => codeToken(text) !== undefined },
];

const MONTHS: Record<string, number> = {
  jan: 0,
  january: 0,
  feb: 1,
  february: 1,
  mar: 2,
  march: 2,
  apr: 3,
  april: 3,
  may: 4,
  jun: 5,
  june: 5,
  jul: 6,
  july: 6,
  aug: 7,
  august: 7,
  sep: 8,
  sept: 8,
  september: 8,
  oct: 9,
  october: 9,
  nov: 10,
  november: 10,
  dec: 11,
  december: 11,
};

/** Dates written in the body (ISO, d.m.y, d/m/y, "December 2, 2026", "2 December 2026"). */
export function datesIn(text: string): Date[] {
  const out: Date[] = [];
  const push = (y: number, m: number, d: number) => {
    if (y >= 1990 && y <= 2100 && m >= 0 && m < 12 && d >= 1 && d <= 31) out.push(new Date(Date.UTC(y, m, d)));
  };
  for (const m of text.matchAll(/\b(\d{4})-(\d{2})-(\d{2})\b/g)) push(+m[1], +m[2] - 1, +m[3]);
  for (const m of text.matchAll(/\b(\d{1,2})[./](\d{1,2})[./](\d{4})\b/g)) push(+m[3], +m[2] - 1, +m[1]);
  for (const m of text.matchAll(/\b([A-Za-z]{3,9})\.? (\d{1,2}),? (\d{4})\b/g))
    if (m[1].toLowerCase() in MONTHS) push(+m[3], MONTHS[m[1].toLowerCase()], +m[2]);
  for (const m of text.matchAll(/\b(\d{1,2}) ([A-Za-z]{3,9})\.? (\d{4})\b/g)) if (m[2].toLowerCase() in MONTHS) push(+m[3], MONTHS[m[2].toLowerCase()], +m[1]);
  return out;
}

/** The kind, how sure, and why: the rule table on the subject, then on the body, then structure. */
function decideKind(subject: string, text: string, today: Date): Omit<Classification, 'suspicious'> {
  const evidence: string[] = [];
  const structures = STRUCTURE_SIGNALS.filter((signal) => signal.test(subject, text));
  for (const signal of structures) {
    if (signal.id === 'code') {
      const code = codeToken(text)!;
      evidence.push(`structure: code-like token after "${code.word}"`);
    } else evidence.push(signal.evidence);
  }
  const dates = datesIn(text);
  if (dates.length > 0) {
    const before = dates.filter((date) => date.getTime() < today.getTime()).length;
    evidence.push(before === dates.length ? 'dates: all before today' : before === 0 ? 'dates: all after today' : 'dates: before and after today');
  }
  const bounce = structures.find((signal) => signal.id === 'dsn');
  if (bounce) return { kind: 'other', confidence: CONFIDENCE.bounce, evidence, rule: 'structure:dsn' };

  const fromSubject = subjectHit(subject, text);
  const fromBody = bodyHits(text);
  const bodyKinds = new Set(fromBody.map((hit) => hit.rule.kind));
  if (fromSubject) {
    const { rule } = fromSubject;
    evidence.unshift(`subject: "${quote(fromSubject.quote)}"`);
    // "Hinweis zum Ablauf", "Expiration notice": an expiry subject whose body says it has expired.
    if (rule.kind === 'expiry_reminder' && bodyKinds.has('expired') && !bodyKinds.has('expiry_reminder')) {
      const expired = fromBody.find((hit) => hit.rule.kind === 'expired')!;
      evidence.splice(1, 0, `body: "${quote(expired.quote)}"`);
      return { kind: 'expired', confidence: CONFIDENCE.subjectAgainstBody, evidence, rule: expired.rule.id };
    }
    const agreeing = fromBody.find((hit) => hit.rule.kind === rule.kind);
    if (agreeing) evidence.splice(1, 0, `body: "${quote(agreeing.quote)}"`);
    const structureAgrees = structures.some((signal) => signal.kind === rule.kind);
    const confidence = agreeing || structureAgrees ? CONFIDENCE.subjectAndBody : fromBody.length > 0 ? CONFIDENCE.subjectAgainstBody : CONFIDENCE.subjectOnly;
    return { kind: rule.kind, confidence, evidence, rule: rule.id };
  }
  if (fromBody.length > 0) {
    const [first] = fromBody;
    evidence.unshift(`body: "${quote(first.quote)}"`);
    const structureAgrees = structures.some((signal) => signal.kind === first.rule.kind);
    const confidence = bodyKinds.size === 1 || structureAgrees ? CONFIDENCE.bodyOnly : CONFIDENCE.bodyAmbiguous;
    return { kind: first.rule.kind, confidence, evidence, rule: first.rule.id };
  }
  const structure = structures.find((signal) => signal.kind !== 'other');
  if (structure) {
    let kind = structure.kind;
    // An ERRP notice whose dates have all passed is the notice after expiry.
    if (kind === 'expiry_reminder' && dates.length > 0 && dates.every((date) => date.getTime() < today.getTime())) kind = 'expired';
    return { kind, confidence: CONFIDENCE.structureOnly, evidence, rule: `structure:${structure.id}` };
  }
  return { kind: 'other', confidence: CONFIDENCE.nothing, evidence, rule: 'none' };
}

// ---- scams -------------------------------------------------------------------------------------

const SCAM_PATTERNS = SCAM_PHRASES.map((signal) => ({ ...signal, patterns: signal.phrases.map(phrasePattern) }));
const THREAT = THREAT_PHRASES.map(phrasePattern);
const PAYMENT = PAYMENT_PHRASES.map(phrasePattern);
const OFFICIAL = OFFICIAL_SOUNDING_SENDER.map(phrasePattern);
const FREE_MAIL = new Set(FREE_MAIL_DOMAINS);
const REGISTRIES = new Set(REGISTRY_SENDER_DOMAINS);
const BRAND_NAMES = REGISTRAR_BRANDS.map((brand) => ({ brand, patterns: brand.displayNames.map((word) => phrasePattern(word.replace(/[.]/g, '\\.'))) }));

/** The registrable domain of a host or address; for names under no public suffix, the last two labels. */
export function siteOf(hostOrAddress: string): string {
  const at = hostOrAddress.lastIndexOf('@');
  const host = toAsciiHost(at >= 0 ? hostOrAddress.slice(at + 1) : hostOrAddress);
  return registrableDomain(host) ?? host.split('.').slice(-2).join('.');
}

function hostOfLink(link: string): string | undefined {
  const match = /^(?:https?:)?\/\/([\p{L}\p{N}.-]+)/iu.exec(link.trim());
  return match ? toAsciiHost(match[1]) : undefined;
}

/** A brand's own site: one it lists, or its label under any public suffix (ovh.ca, ionos.it). */
function ownSite(brand: (typeof REGISTRAR_BRANDS)[number], site: string): boolean {
  if (brand.domains.includes(site)) return true;
  const label = site.split('.')[0];
  return brand.labels.includes(label) && registrableDomain(site) === site;
}

/** The sender's address and display name from a From header text. */
function sender(input: NoticeReading): { address: string | null; name: string } {
  const from = input.from ?? '';
  const angle = /<([^<>@\s]+@[^<>\s]+)>/.exec(from);
  const bare = /([^\s<>"]+@[^\s<>"]+)/.exec(from);
  const address = input.fromAddress ?? angle?.[1] ?? bare?.[1] ?? null;
  const name = from
    .replace(/<[^>]*>/g, '')
    .replace(/["']/g, '')
    .trim();
  return { address, name: address !== null && name === address ? '' : name };
}

const THREAT_FREE_KINDS = new Set<NoticeKind>([
  'transfer_request',
  'transfer_completed',
  'transfer_rejected',
  'auth_code',
  'renewal_confirmation',
  'registrant_change',
]);

interface FiredSignal {
  id: string;
  weight: number;
  reason: string;
  evidence: string;
}

/** The scam signals a message fires, each with its weight, reason and evidence. */
function scamSignals(input: NoticeReading, subject: string, text: string, readKind: NoticeKind): FiredSignal[] {
  const fired: FiredSignal[] = [];
  const whole = `${subject} \n ${text}`;
  for (const signal of SCAM_PATTERNS) {
    const found = firstMatch(signal.patterns, whole);
    if (found !== undefined) fired.push({ id: signal.id, weight: signal.weight, reason: signal.reason, evidence: `scam: "${quote(found)}"` });
  }

  const known = new Set((input.knownRegistrarDomains ?? []).map(siteOf));
  const records = input.registrarOfRecord ?? [];
  for (const record of records) for (const domain of record.senderDomains) known.add(siteOf(domain));
  const { address, name } = sender(input);
  const senderSite = address ? siteOf(address) : null;

  // Look-alike hosts: a registrar brand in a host that is not on the brand's own domains.
  const links = input.links ?? (input.html ? readHtml(input.html).links : []);
  const textLinks = [...text.matchAll(/https?:\/\/[^\s<>"'\])]+/gi)].map((m) => m[0]);
  const linkHosts = [...new Set([...links, ...textLinks].map(hostOfLink).filter((host): host is string => !!host))];
  const lookalike = (host: string) => {
    const site = siteOf(host);
    if (known.has(site)) return undefined;
    const labels = host.split(/[.-]/);
    return REGISTRAR_BRANDS.find(
      (brand) =>
        !ownSite(brand, site) &&
        (brand.labels.some((label) => labels.includes(label)) ||
          brand.domains.some((domain) => host.includes(`${domain}.`) || host.includes(domain.replace(/\./g, '-')))),
    );
  };
  if (address) {
    const brand = lookalike(address.slice(address.lastIndexOf('@') + 1));
    if (brand)
      fired.push({
        id: 'lookalike-sender',
        weight: 3,
        reason: `It was sent from ${senderSite}, which is not ${brand.name}'s, although the name imitates it.`,
        evidence: `sender: look-alike of ${brand.name} (${senderSite})`,
      });
  }
  for (const host of linkHosts) {
    const brand = lookalike(host);
    if (brand) {
      fired.push({
        id: 'lookalike-link',
        weight: 3,
        reason: `Its links lead to ${host}, which is not ${brand.name}'s.`,
        evidence: `link: look-alike of ${brand.name} (${host})`,
      });
      break;
    }
  }

  // A sender name that claims a brand, from an address that is not the brand's.
  if (senderSite && name && !known.has(senderSite)) {
    const claimed = BRAND_NAMES.find(({ brand, patterns }) => !ownSite(brand, senderSite) && firstMatch(patterns, name) !== undefined)?.brand;
    if (claimed && !fired.some((signal) => signal.id === 'lookalike-sender'))
      fired.push({
        id: 'impersonation',
        weight: 3,
        reason: `It claims to come from ${claimed.name} but was sent from ${senderSite}, which is not ${claimed.name}'s.`,
        evidence: `sender: "${quote(name)}" from ${senderSite}`,
      });
  }

  const abused = [senderSite, ...linkHosts].find((host) => host && ABUSED_TLDS.includes(host.slice(host.lastIndexOf('.') + 1)) && !known.has(siteOf(host)));
  if (abused)
    fired.push({
      id: 'abused-tld',
      weight: 1,
      reason: `It comes from or links to ${siteOf(abused)}, under a top-level domain favoured by spammers.`,
      evidence: `host: ${siteOf(abused)} (abused TLD)`,
    });

  const threat = firstMatch(THREAT, text);
  const payment = firstMatch(PAYMENT, whole);
  if (senderSite && FREE_MAIL.has(senderSite) && (threat !== undefined || payment !== undefined)) {
    fired.push({
      id: 'free-mail',
      weight: 3,
      reason: `It was sent from a free mailbox (${senderSite}), which a registrar never uses for its notices.`,
      evidence: `sender: free mail (${senderSite})`,
    });
  }

  const fromRegistry = senderSite !== null && REGISTRIES.has(senderSite);
  if (senderSite && name && !known.has(senderSite) && !fromRegistry && firstMatch(OFFICIAL, name) !== undefined && payment !== undefined) {
    fired.push({
      id: 'official-sounding',
      weight: 1,
      reason: `Its sender, "${name}", poses as an office or registry.`,
      evidence: `sender: official-sounding "${quote(name)}"`,
    });
  }

  // What Aster knows: the registrar of record, and every registrar on file. A message forwarded by
  // a client comes from the client: its sender says nothing of the original's.
  const forwarded = /^\s*(fwd?|fw|tr|wg|rv|i|vs|doorst)\s*:/i.test(input.subject ?? '');
  const aRegistrar = senderSite !== null && REGISTRAR_BRANDS.some((brand) => ownSite(brand, senderSite));
  if (forwarded || !senderSite || known.has(senderSite) || fromRegistry || aRegistrar) return fired;
  // Transfer notices come from the gaining registrar too, and speak of releasing and cancelling.
  const threatens = threat !== undefined && !THREAT_FREE_KINDS.has(readKind);
  if (records.length > 0) {
    if (threatens)
      fired.push({
        id: 'not-registrar-threat',
        weight: 3,
        reason: "It threatens to suspend the domain but comes from an address that is not your registrar's.",
        evidence: `sender: ${senderSite} is not the registrar of record; threatens the domain ("${quote(threat)}")`,
      });
    else if (payment !== undefined)
      fired.push({
        id: 'not-registrar-payment',
        weight: 2,
        reason: 'It asks you to pay for your domain, but it does not come from your registrar.',
        evidence: `sender: ${senderSite} is not the registrar of record; asks for payment ("${quote(payment)}")`,
      });
  } else if (known.size > 0) {
    fired.push({
      id: 'unknown-sender',
      weight: 1,
      reason: 'It does not come from any registrar Aster knows.',
      evidence: `sender: ${senderSite} is no registrar on file`,
    });
  }
  return fired;
}

function suspicion(input: NoticeReading, fired: FiredSignal[], subject: string, text: string): Classification['suspicious'] {
  const { address } = sender(input);
  const senderSite = address ? siteOf(address) : null;
  const records = input.registrarOfRecord ?? [];
  // A verified message from the registrar of record is its notice, whatever it says.
  if (input.senderVerified && senderSite && records.some((record) => record.senderDomains.map(siteOf).includes(senderSite))) return null;
  const score = fired.reduce((sum, signal) => sum + signal.weight, 0);
  if (score < SUSPICION_THRESHOLD) return null;
  // Weak signals explain only alongside a strong one; keep the order strong-first.
  const reasons = [...new Set([...fired].sort((a, b) => b.weight - a.weight).map((signal) => signal.reason))];
  const named = records.map((record) => record.name).filter((name) => name.trim() !== '');
  if (named.length > 0) reasons.push(`Your domain's registrar is ${[...new Set(named)].join(' / ')}.`);
  void subject;
  void text;
  return { reasons };
}

/** What kind of notice a message is, how sure, why, and whether it is a scam imitating one. */
export function classifyNotice(input: NoticeReading): Classification {
  const subject = normaliseSubject(input.subject ?? '');
  let body = input.text ?? '';
  if (body.trim() === '' && input.html) body = readHtml(input.html).text;
  const text = normaliseText(body);
  const today = input.today ?? new Date();
  const reading = decideKind(subject, text, today);
  const fired = scamSignals(input, subject, text, reading.kind);
  const suspicious = suspicion(input, fired, subject, text);
  if (suspicious) {
    const score = fired.reduce((sum, signal) => sum + signal.weight, 0);
    const evidence = [...fired.map((signal) => signal.evidence), ...(reading.kind !== 'other' ? [`imitates: ${reading.kind}`] : [])];
    return { kind: 'other', confidence: Math.round(Math.min(0.99, 0.6 + 0.08 * score) * 100) / 100, evidence, suspicious, rule: 'suspicious' };
  }
  return { ...reading, suspicious: null };
}

/** The kind of notice a registrar message is, and the rule that said so (subject and text only). */
export function classify(subject: string, text: string): KindReading {
  const { kind, rule } = classifyNotice({ subject, text, from: null });
  return { kind, rule };
}
