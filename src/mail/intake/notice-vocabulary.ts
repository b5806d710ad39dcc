// What registrars write, per kind of notice and per language: phrases that, on the subject or in
// the body, say which kind a notice is. Data only; classify.ts adds them to its rule table, so the
// table's order (most specific kind first) settles overlaps for these phrases too.
//
// Each phrase is a regular-expression source matched case-insensitively, with Unicode letter
// boundaries on both ends (`\b` knows only ASCII letters): "sospeso" matches "sospeso", not
// "sospesone". Subject phrases may be short (the subject says what the message is about); body
// phrases must state something about this domain, mostly in the past or present tense, because a
// body also holds footers that mention every other kind.
//
// Languages: en de fr es nl it cs, and a few common phrasings in pl pt sv da ru.

export type VocabularyLanguage = 'en' | 'de' | 'fr' | 'es' | 'nl' | 'it' | 'cs' | 'pl' | 'pt' | 'sv' | 'da' | 'ru';

export interface PhraseList {
  subject?: string[];
  text?: string[];
}

/** Keyed by the id of the rule in classify.ts's NOTICE_RULES that the phrases belong to. */
export const NOTICE_VOCABULARY: Record<string, Partial<Record<VocabularyLanguage, PhraseList>>> = {
  suspension: {
    en: {
      subject: [
        'excluded from (the )?DNS',
        'client ?hold',
        'server ?hold',
        'blocking of (the )?domain( name)?',
        'service suspended',
        'has been (made )?inactive',
      ],
      text: [
        'we are suspending',
        'we have (placed|put) .{0,60} on (client|server) ?hold',
        '(has been|was|will be) excluded from (the )?DNS',
        'has been (blocked|deactivated|disabled)',
      ],
    },
    de: {
      subject: ['gesperrt', 'Sperrung', 'deaktiviert', 'stillgelegt'],
      text: ['wurde .{0,40}(gesperrt|deaktiviert|stillgelegt)', 'haben .{0,60}(gesperrt|deaktiviert)'],
    },
    fr: {
      subject: ['suspendu', 'suspension du nom', 'blocage du nom de domaine', 'bloqué', 'désactivé'],
      text: ['a été (suspendu|bloqué|désactivé)e?', 'nous avons (suspendu|bloqué)'],
    },
    es: {
      subject: ['suspendido', 'suspensión del dominio', 'desactivado', 'bloqueado'],
      text: ['ha sido (suspendido|desactivado|bloqueado)', 'hemos (suspendido|desactivado|bloqueado)'],
    },
    nl: {
      subject: ['inactief gemaakt', 'opgeschort', 'geblokkeerd', 'buiten gebruik gesteld'],
      text: ['is (inactief gemaakt|opgeschort|geblokkeerd)', 'hebben .{0,40}(inactief gemaakt|opgeschort|geblokkeerd)'],
    },
    it: {
      subject: ['sospeso', 'sospensione del dominio', 'disattivato', 'bloccato'],
      text: ['è stato (sospeso|disattivato|bloccato)', 'abbiamo (sospeso|disattivato|bloccato)'],
    },
    cs: {
      subject: ['vyřazení .{0,80}z DNS', 'zablokování', 'pozastavení', 'pozastavena'],
      text: ['(byla|bylo|byl) .{0,40}(vyřazen[aoy]? z DNS|zablokován[aoy]?|pozastaven[aoy]?)'],
    },
    pl: { subject: ['zawieszon[aey]', 'zablokowan[aey]'], text: ['(została|zostało|został) (zawieszon|zablokowan)\\p{L}*'] },
    pt: { subject: ['suspenso', 'bloqueado'], text: ['foi (suspenso|bloqueado|desativado)'] },
    sv: { subject: ['avstängd', 'spärrad', 'suspenderad'], text: ['har (stängts av|spärrats|suspenderats)'] },
    da: { subject: ['suspenderet', 'spærret', 'lukket ned'], text: ['er blevet (suspenderet|spærret|lukket)'] },
    ru: {
      subject: ['приостановлен\\p{L}*', 'заблокирован\\p{L}*', 'снят\\p{L}* с делегирования'],
      text: ['(был|была|было) (приостановлен|заблокирован|снят)\\p{L}*'],
    },
  },
  'registrant-change': {
    en: { subject: ['registrant transfer notification', 'change of registrant', 'registrant change', 'owner change'], text: ['change of registrant'] },
    de: {
      subject: ['Inhaberwechsel', 'Änderung der Inhaberdaten', 'Inhaberänderung', 'Halterwechsel', 'Besitzerwechsel'],
      text: ['Inhaberwechsel', 'Änderung des (Domain)?inhabers'],
    },
    fr: { subject: ['changement de (titulaire|propriétaire|détenteur)'], text: ['changement de (titulaire|propriétaire|détenteur)'] },
    es: { subject: ['cambio de (titular|registrante|propietario)'], text: ['cambio de (titular|registrante|propietario)'] },
    nl: {
      subject: ['houderwijziging', 'wijziging (van )?(de )?(houder|eigenaar)', 'eigenaarswijziging', 'houderoverdracht'],
      text: ['houderwijziging', 'wijziging van (de )?(houder|eigenaar)'],
    },
    it: { subject: ['cambio (di |del )?(intestatario|titolare|registrante|proprietario)'], text: ['cambio (di |del )?(intestatario|titolare|registrante)'] },
    cs: { subject: ['změn[ay] držitele', 'oznámení změn domény', 'notification of domain .{1,80} change'], text: ['změn[ay] držitele'] },
    pl: { subject: ['zmiana (abonenta|właściciela)'], text: ['zmian[ay] (abonenta|właściciela)'] },
    pt: { subject: ['(alteração|mudança|troca) (de|do) (titular|registrante|proprietário)'] },
    sv: { subject: ['ägarbyte', 'byte av (innehavare|ägare)', 'innehavarbyte'] },
    da: { subject: ['ejerskifte', '(skift|ændring) af (registrant|ejer)'] },
    ru: { subject: ['смена (администратора|владельца)', 'передача прав на домен'] },
  },
  'transfer-rejected': {
    en: {
      subject: [
        '(registrar|tag) change( request)? .{0,40}(rejected|declined|denied|failed|not completed)',
        'change of registrar .{0,80}not (been )?completed',
        'transfer .{0,40}(canceled|cancelled)',
      ],
      text: ['(rejected|declined|denied|refused|cancell?ed) .{0,20}transfer request', 'transfer (was|has been) (canceled|cancelled)'],
    },
    de: {
      subject: ['(Transfer|Providerwechsel|Umzug|KK)\\p{L}* .{0,60}(abgelehnt|fehlgeschlagen|gescheitert|abgebrochen|storniert)'],
      text: ['(Transfer|Providerwechsel)\\p{L}* .{0,80}(wurde|ist) .{0,30}(abgelehnt|abgebrochen|gescheitert)'],
    },
    fr: {
      subject: ["opposition (du|de la|de l['’]|au)", 'transfert .{0,60}(refusé|rejeté|échoué|annulé)e?'],
      text: ["s'est opposé au transfert", 'opposition au transfert', 'transfert .{0,80}a été (refusé|rejeté|annulé)e?'],
    },
    es: {
      subject: ['transferencia .{0,40}(cancelada|rechazada|denegada|fallida|no completada)'],
      text: ['transferencia .{0,80}(ha sido|fue) (cancelada|rechazada|denegada)', 'no se ha podido (completar|realizar) la transferencia'],
    },
    nl: { subject: ['verhuizing .{0,40}(geweigerd|afgewezen|mislukt|geannuleerd)'], text: ['verhuizing .{0,80}is (geweigerd|afgewezen|mislukt|geannuleerd)'] },
    it: {
      subject: ['trasferimento .{0,60}(rifiutato|respinto|annullato|fallito|non riuscito|non completato)'],
      text: ['trasferimento .{0,80}è stato (rifiutato|respinto|annullato)'],
    },
    cs: {
      subject: ['(transfer|převod)\\p{L}* .{0,60}(zamítnut|odmítnut|zrušen|neúspěšn)\\p{L}*'],
      text: ['(transfer|převod)\\p{L}* .{0,80}(byl|byla) (zamítnut|odmítnut|zrušen)\\p{L}*'],
    },
    pl: { subject: ['transfer\\p{L}* .{0,40}(odrzucon|anulowan|nieudan)\\p{L}*'] },
    pt: { subject: ['transferência .{0,40}(rejeitada|recusada|cancelada|falhou)'] },
    sv: { subject: ['flytt\\p{L}* .{0,40}(nekad|avbruten|misslyckad|avvisad)'] },
    da: { subject: ['flytning\\p{L}* .{0,40}(afvist|annulleret|mislykkedes)'] },
    ru: { subject: ['перенос\\p{L}* .{0,40}(отклонен|отменен)\\p{L}*'] },
  },
  'transfer-completed': {
    en: {
      subject: ['is now with', 'domains? released', 'notification of domain .{1,80} transfer'],
      text: [
        'is now (registered|managed) (with|at|by)',
        'released .{0,40}to (the |a )?new (registrar|tag)',
        '(has|have) been released to',
        'transfer .{0,80}(was|has been) completed',
      ],
    },
    de: {
      subject: ['(Transfer|Providerwechsel|Umzug)\\p{L}* .{0,60}(durchgeführt|abgeschlossen|erfolgt|vollzogen)', 'erfolgreich (transferiert|umgezogen)'],
      text: ['(Providerwechsel|Transfer)\\p{L}* .{0,80}(wurde|ist) .{0,30}(durchgeführt|abgeschlossen|erfolgt)', 'wird (nun|jetzt) .{0,40}verwaltet'],
    },
    fr: {
      subject: ['transfert .{0,40}(effectué|réussi|terminé|finalisé|abouti)e?'],
      text: ['a été transférée?', 'transfert .{0,80}a été (effectué|finalisé|réalisé)e?'],
    },
    es: {
      subject: ['transferencia .{0,40}(completada|realizada|finalizada|exitosa|con éxito)'],
      text: ['(ha sido|fue) transferido', 'se ha completado la transferencia', 'transferencia .{0,80}(se ha completado|ha finalizado)'],
    },
    nl: {
      subject: ['(bevestiging|voltooiing) (van de )?verhuizing', 'verhuizing .{0,40}(voltooid|afgerond|geslaagd|bevestigd)'],
      text: ['is (succesvol )?verhuisd', 'verhuizing .{0,80}is (voltooid|afgerond|uitgevoerd)'],
    },
    it: {
      subject: ['trasferimento .{0,40}(completato|concluso|riuscito|effettuato)'],
      text: ['è stato trasferito', 'trasferimento .{0,80}(è stato completato|si è concluso)'],
    },
    cs: {
      subject: ['oznámení o transferu', '(transfer|převod)\\p{L}* .{0,40}(dokončen|proveden)\\p{L}*'],
      text: ['(byl|byla|bylo) (úspěšně )?(převeden|transferován)\\p{L}*', 'došlo ke změně registrátora', 'změn[au] registrátora'],
    },
    pl: { subject: ['transfer\\p{L}* .{0,40}(zakończon|zrealizowan)\\p{L}*'], text: ['(został|została) (przeniesion|przetransferowan)\\p{L}*'] },
    pt: { subject: ['transferência .{0,40}(concluída|efetuada|realizada)'], text: ['foi transferido'] },
    sv: { subject: ['flytt\\p{L}* .{0,40}(genomförd|slutförd|klar)'], text: ['har flyttats'] },
    da: { subject: ['flytning\\p{L}* .{0,40}(gennemført|fuldført)'], text: ['er blevet flyttet'] },
    ru: { subject: ['перенос\\p{L}* .{0,40}(завершен|выполнен)\\p{L}*'], text: ['домен (успешно )?(переведен|перенесен)'] },
  },
  'auth-code': {
    en: { subject: ['authori[sz]ation (information|code)', 'auth ?code', 'EPP (transfer )?code', 'transfer (authori[sz]ation )?code'] },
    de: { subject: ['AuthInfo', 'Auth-Info', 'Authcode', 'Transfercode', 'Autorisierungscode', 'Auth-Code'] },
    fr: { subject: ["code d['’]autorisation", 'code de transfert', 'authcode', 'code EPP', 'code auth(info)?'] },
    es: { subject: ['código (EPP|de autorización|de transferencia|auth(code|info)?)', 'authcode'] },
    nl: { subject: ['verhuistoken', 'verhuiscode', 'autorisatiecode', 'EPP-?code'] },
    it: { subject: ['codice (AuthInfo|di autorizzazione|EPP|di trasferimento|auth)'] },
    cs: { subject: ['autorizační informace', 'zaslání autorizační', 'autorizační kód', 'heslo pro převod'] },
    pl: { subject: ['kod (authinfo|autoryzacyjny|EPP|transferu)'] },
    pt: { subject: ['código (EPP|de autorização|de transferência)'] },
    sv: { subject: ['auktoriseringskod', 'överföringskod', 'EPP-kod', 'flyttkod'] },
    da: { subject: ['autorisationskode', 'overførselskode', 'EPP-kode'] },
    ru: { subject: ['код авторизации', 'код переноса', 'authinfo'] },
  },
  'transfer-request': {
    en: {
      subject: [
        'initial authori[sz]ation for registrar transfer',
        'transfer approval',
        'change of registrar request(ed)?',
        'transfer request',
        'transfer (with|and) (registrant|owner)',
      ],
      text: [
        '(approve|accept|confirm|reject|deny) (or (reject|deny|decline)|the) .{0,20}transfer',
        'standardi[sz]ed form of authori[sz]ation',
        'initial authori[sz]ation for registrar transfer',
      ],
    },
    de: {
      subject: [
        '(Transfer|Providerwechsel|Domainumzug|Umzug|KK)\\p{L}* .{0,60}(Bestätigung|bestätigen|Anfrage|Antrag|beantragt|Zustimmung)',
        '(Bestätigung|Zustimmung) erforderlich: (Transfer|Providerwechsel)',
        'Transferanfrage',
        'Transferantrag',
        'Transferauftrag',
      ],
      text: [
        '(Providerwechsel|Transfer|Umzug)\\p{L}* .{0,80}(beantragt|angefordert|eingeleitet|angefragt)',
        '(dem )?(Transfer|Providerwechsel) zu(zu)?stimmen',
      ],
    },
    fr: {
      subject: [
        'demande de transfert',
        'transfert (sortant|entrant|en cours)',
        '(confirmation|validation) (requise|demandée|du transfert)\\b.{0,40}transfert',
        'transfert du nom de domaine',
      ],
      text: ['demande de transfert', 'transfert .{0,60}a été demandé'],
    },
    es: {
      subject: ['solicitud de transferencia', 'confirmación de (la )?transferencia', 'transferencia (saliente|entrante|pendiente|solicitada)'],
      text: ['solicitud de transferencia', 'ha solicitado (la|una) transferencia', 'se ha solicitado (la|una) transferencia'],
    },
    nl: {
      subject: ['verhuisverzoek', 'verhuisaanvraag', 'verhuizing aangevraagd', 'verhuizing .{0,40}(bevestig|akkoord)'],
      text: ['verzoek (om|tot) (de )?verhuizing', 'verhuisverzoek', 'verhuizing .{0,60}aangevraagd'],
    },
    it: {
      subject: ['(conferma|richiesta di|conferma il) trasferimento', 'trasferimento (in uscita|in entrata|richiesto)'],
      text: ['richiesta di trasferimento', 'è stato richiesto il trasferimento'],
    },
    cs: {
      subject: ['žádost o (převod|transfer)', '(převod|transfer)\\p{L}* .{0,40}(žádost|potvrzení)'],
      text: ['(požádal|požádala|požádáno) o (převod|transfer)', 'žádost o (převod|transfer)'],
    },
    pl: { subject: ['(wniosek|prośba|żądanie) o transfer', 'transfer domeny .{0,30}(oczekuj|potwierdź)'], text: ['złożono (wniosek|zlecenie) (o )?transfer'] },
    pt: { subject: ['(pedido|solicitação) de transferência'], text: ['(pedido|solicitação) de transferência'] },
    sv: {
      subject: ['flyttbegäran', 'begäran om (flytt|överföring)', 'överföringsbegäran', 'flytt av (domän|domänen)'],
      text: ['begäran om att (flytta|överföra)'],
    },
    da: { subject: ['flytteanmodning', 'anmodning om (flytning|overførsel)', 'overførsel af (domæne|domænet)'], text: ['anmodning om at (overføre|flytte)'] },
    ru: { subject: ['(запрос|заявка) на (перенос|трансфер)', 'смена регистратора'] },
  },
  'whois-data-reminder': {
    en: {
      subject: ['whois data confirmation', 'whois (information|contact data|data|details) (reminder|confirmation)', '(annual|yearly) whois', 'WDRP'],
      text: ['(once a year|annual(ly)?|yearly|every year) .{0,80}(whois|registration data|contact (data|information|details))', 'whois data reminder policy'],
    },
    de: {
      subject: ['Whois Data Reminder', 'überprüfen Sie Ihre (Domain|Whois|Kontakt)daten', 'Whois-Daten', 'jährliche (Erinnerung|Überprüfung)'],
      text: ['(einmal (im|pro) Jahr|jährlich)\\p{L}* .{0,80}(Whois|Daten|Kontaktdaten)'],
    },
    fr: {
      subject: ['(vérifiez|vérifier|vérification de|mettez à jour) (les|vos) coordonnées du titulaire', 'rappel annuel', 'vérification annuelle'],
      text: ['(une fois par an|chaque année|annuel(le)?(ment)?) .{0,80}(whois|coordonnées|données)'],
    },
    es: {
      subject: ['recordatorio anual de datos', 'datos WHOIS', 'revisión anual'],
      text: ['(una vez al año|anual(mente)?|cada año) .{0,80}(whois|datos de contacto|datos de registro)'],
    },
    nl: {
      subject: ['jaarlijkse (controle|herinnering|check)', 'controleer uw (gegevens|whois|domeingegevens)'],
      text: ['(eenmaal per jaar|jaarlijks|elk jaar) .{0,80}(whois|gegevens)'],
    },
    it: {
      subject: ['verifica annuale dei dati', 'promemoria annuale', 'dati whois'],
      text: ["(una volta all['’]anno|annual(e|mente)|ogni anno) .{0,80}(whois|dati)"],
    },
    cs: {
      subject: ['ověření správnosti údajů', 'check your contact data', 'kontrola (kontaktních )?údajů'],
      text: ['(jednou ročně|každoročně|každý rok) .{0,80}(údaj|whois)'],
    },
    pl: { subject: ['coroczne przypomnienie', 'weryfikacja danych whois'] },
    pt: { subject: ['lembrete anual', 'dados WHOIS'] },
    sv: { subject: ['årlig påminnelse', 'whois-uppgifter'] },
    da: { subject: ['årlig påmindelse', 'whois-oplysninger'] },
    ru: { subject: ['ежегодн\\p{L}* (напоминание|проверка)', 'данные whois'] },
  },
  'registrant-verification': {
    en: {
      subject: ['RAA verification', 'verification pending', '(ICANN|domain|registrant|e-?mail address) verification', 'verify your contact'],
      text: ['(verify|confirm|validate) (your |the )?(e-?mail address|contact (information|details|data))', 'verification (link|e-?mail)'],
    },
    de: {
      subject: ['bestätigen Sie Ihre (Kontaktdaten|E-Mail-Adresse|Angaben)', 'Domainverifizierung', 'Verifizierung (Ihrer|der) (E-Mail|Kontakt)'],
      text: ['(bestätigen|verifizieren) Sie .{0,40}(E-Mail-Adresse|Kontaktdaten|Angaben)'],
    },
    fr: {
      subject: ["(vérification|validation|confirmation) de (votre|l['’]) ?adresse"],
      text: ["(vérifier|valider|confirmer) (votre |vos |l['’])?(adresse|coordonnées)"],
    },
    es: {
      subject: [
        '(valide|verifique|confirme) (la|su) (dirección|información|datos)',
        'verificación (del|de su|de la) (email|correo|contacto|titular|dirección)',
      ],
      text: ['(valide|verifique|confirme|validar|verificar|confirmar) (la|su) (dirección|información de contacto|correo)'],
    },
    nl: {
      subject: ['verificatie (van )?(registratiegegevens|e-?mailadres|contactgegevens|gegevens)', 'bevestig uw (e-?mailadres|gegevens)'],
      text: ['(verifieer|bevestig|verifiëren|bevestigen) .{0,40}(e-?mailadres|gegevens)'],
    },
    it: {
      subject: ["verifica (il tuo |l['’])?indirizzo", 'verifica dei dati del registrante'],
      text: ["(verifica|conferma|verificare|confermare) (il tuo |l['’])?indirizzo"],
    },
    cs: {
      subject: ['identifikace kontaktu', 'ověření (e-mailu|kontaktu|e-mailové adresy)'],
      text: ['(ověřit|potvrdit|ověřte|potvrďte) .{0,40}(e-mail|kontakt|údaje)'],
    },
    pl: { subject: ['weryfikacja (adresu e-mail|danych|abonenta)'] },
    pt: { subject: ['verificação (de e-mail|do registrante|dos dados|de contato)', 'verifique (seu|o) e-?mail'] },
    sv: { subject: ['verifiera din e-postadress', 'verifiering av (kontaktuppgifter|e-post)'] },
    da: { subject: ['bekræft din e-?mailadresse', 'verificering af (kontaktoplysninger|e-?mail)'] },
    ru: { subject: ['подтвержд\\p{L}* (адреса|e-mail|контакт)\\p{L}*', 'верификация'] },
  },
  'renewal-confirmation': {
    en: {
      subject: [
        'order processed for renew(al)?',
        '(order|payment) .{0,40}(completed|received) .{0,40}renew(al|ed)',
        'renewal complete',
        'renewal of .{1,80} (completed|confirmed|successful)',
      ],
      text: ['renewed (until|through|for (one|1|two|2) years?)', 'new expir(y|ation) date( is)?:?', 'has been extended (until|to)'],
    },
    de: { subject: ['(erfolgreich )?verlängert', 'Verlängerung (erfolgreich|bestätigt|durchgeführt)'], text: ['wurden? .{0,60}verlängert'] },
    fr: { subject: ['renouvellement .{0,60}(effectué|confirmé|réussi)', 'renouvelée?s?'], text: ['a été renouvelée?', 'ont été renouvelée?s'] },
    es: {
      subject: ['(confirmación de|confirmamos la) renovación', 'renovación .{0,40}(completada|realizada|confirmada|efectuada)', 'renovado'],
      text: ['(ha sido|fue|han sido) renovados?', 'se ha renovado'],
    },
    nl: { subject: ['verlenging .{0,40}(bevestigd|voltooid|geslaagd|uitgevoerd)', 'is verlengd'], text: ['(is|zijn) (succesvol )?verlengd'] },
    it: { subject: ['rinnovo .{0,60}(?<!non )(completato|effettuato|confermato|riuscito)', '(?<!non )rinnovato'], text: ['(è stato|sono stati) rinnovat[oi]'] },
    cs: {
      subject: ['oznámení o prodloužení', 'prodloužení platnosti', 'prodloužení .{0,40}(provedeno|dokončeno)'],
      text: ['(byla|bylo|byl) .{0,40}prodloužen[aoy]?'],
    },
    pl: { subject: ['odnowienie .{0,30}(zakończone|potwierdzone)', 'odnowion[aey]'], text: ['(została|został) odnowion[aey]'] },
    pt: { subject: ['renovação .{0,30}(confirmada|concluída|efetuada)', 'renovado'], text: ['foi renovado'] },
    sv: { subject: ['förnyad', 'förnyelse (bekräftad|genomförd)'], text: ['har förnyats'] },
    da: { subject: ['fornyet', 'fornyelse (bekræftet|gennemført)'], text: ['er blevet fornyet'] },
    ru: { subject: ['продлен\\p{L}*', 'продление .{0,30}(выполнено|подтверждено)'], text: ['(был|была) продлен\\p{L}*'] },
  },
  expired: {
    en: {
      subject: [
        'passed (its|the|their) expiration date',
        'past (its )?expir(y|ation)',
        'reminder to settle fees',
        '(domain|registration) (cancell?ation|deletion|deleted)',
        'in (the )?(grace|redemption) period',
      ],
      text: ['(has|have) passed (its|the|their) expir(y|ation) date', 'passed (its|the) expir(y|ation) date and has not been renewed', 'expired on'],
    },
    de: { subject: ['abgelaufen', 'ausgelaufen', 'Hinweis zum Ablauf'], text: ['(ist|sind) .{0,60}abgelaufen', 'wurde nicht verlängert'] },
    fr: {
      subject: ['a expiré', 'expiré', "dépassé (sa|la) date d['’]expiration"],
      text: ['(a|ont|est) (expiré|arrivée? à expiration)', "a dépassé sa date d['’]expiration", "n['’]a pas été renouvelée?"],
    },
    es: {
      subject: ['(ha )?caducado', 'ha vencido', 'vencido', 'periodo de gracia'],
      text: ['(ha|han) (caducado|vencido)', 'ha alcanzado su fecha de vencimiento'],
    },
    nl: { subject: ['opgeheven', 'quarantaine', 'verlopen', 'opgezegd'], text: ['(is|zijn) (verlopen|opgeheven)', 'staat .{0,30}in quarantaine'] },
    it: { subject: ['è scaduto', 'scadut[oi]', 'sono scaduti'], text: ['(è|sono) scadut[oi]', 'non è stato rinnovato'] },
    cs: {
      subject: ['expirovala', 'nutnost úhrady', 'ochranná lhůta', 'zrušení domény', 'neprodloužen'],
      text: ['ochranné lhůtě', 'neprodloužil', 'rušíme registraci', '(nebyla|nebylo) .{0,40}prodloužen[aoy]?', '(expirovala|vypršela|skončila) (dne|k )'],
    },
    pl: { subject: ['wygasł[aoy]?'], text: ['(wygasła|wygasł) (w dniu|dnia)'] },
    pt: { subject: ['expirou', 'expirado'], text: ['expirou (em|no dia)'] },
    sv: { subject: ['har (gått|löpt) ut'], text: ['har (gått|löpt) ut'] },
    da: { subject: ['er udløbet', 'udløbet'], text: ['er udløbet'] },
    ru: { subject: ['истек\\p{L}*', 'срок регистрации истек'], text: ['срок регистрации .{0,40}истек\\p{L}*'] },
  },
  'expiry-reminder': {
    en: {
      subject: ['nearing expiry', 'renewal notice', 'about to expire', 'upcoming (domain )?renewal'],
      text: ['(will|is going to) expire', 'nearing (their|its) expiry'],
    },
    de: {
      subject: ['läuft .{0,60}ab', 'Ablauf', 'Verlängerung (fällig|erforderlich|notwendig)', 'Erinnerung .{0,40}(Ablauf|Verlängerung)'],
      text: ['läuft .{0,60}ab', 'wird .{0,40}ablaufen'],
    },
    fr: {
      subject: ['expire', 'échéance', 'arrive(nt)? à (expiration|échéance)', 'renouvellement (automatique|à effectuer|nécessaire|requis)'],
      text: ['expire(ra)? (le|dans|bientôt)', 'arrive(nt|ra|ront)? à (expiration|échéance)'],
    },
    es: {
      subject: ['vencimiento', 'caduca(rá)?', 'vence(rá)?', 'a punto de caducar', 'próxima renovación', 'renovación pendiente'],
      text: ['caduca(rá)? (el|en|dentro|pronto)', 'vence(rá)? (el|en|dentro|pronto)'],
    },
    nl: { subject: ['verloopt', 'vervaldatum', 'verlenging', 'loopt af'], text: ['(verloopt|verlopen) (op|binnenkort|over)', 'loopt .{0,40}af'] },
    it: { subject: ['scade', 'scadenza', 'in scadenza'], text: ['scade(rà)? (il|tra|fra|a breve)'] },
    cs: { subject: ['expirac\\p{L}*', 'vyprší', 'vypršení', 'blíží se'], text: ['vyprší', 'končí platnost'] },
    pl: { subject: ['wygasa', 'wygaśnięci\\p{L}*', 'przypomnienie o odnowieniu'], text: ['wygasa (w dniu|dnia|za)'] },
    pt: { subject: ['expira(rá)?', 'vencimento', 'renovação'], text: ['expira(rá)? (em|no dia|dentro)'] },
    sv: { subject: ['löper ut', 'går ut', 'förnya'], text: ['löper ut'] },
    da: { subject: ['udløber', 'fornyelse'], text: ['udløber'] },
    ru: { subject: ['истекает', 'продлите', 'заканчивается срок'], text: ['(истекает|заканчивается) срок'] },
  },
};
