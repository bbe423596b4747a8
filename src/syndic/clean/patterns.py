"""The shapes residue takes, kept as data in one place.

Every pattern here matches a *whole unit* (a paragraph of extracted text),
anchored at both ends, and only short units are ever tested against them
(see `residue.MAX_RESIDUE_WORDS`). That is what keeps a story sentence that
merely contains "read more" or "subscribe" safe: a pattern never matches
inside a paragraph. The patterns describe shapes of tools and publishers in
general (a "Powered by X" stamp, a "Like X on Facebook" prompt, a bracketed
teaser), never sentences of one article.

Groups, strongest first:

- STAMPS: what a tool in the chain appends ("Powered by WPeMatico", "Let's
  block ads! (Why?)", "Read more", a feed's footer). Residue anywhere, and
  taken even when cleaning is at its safety limit.
- LABELS: the heading of a list that is not the story ("Related", "Share
  this:"); residue anywhere, and in the tail the short units listed under it
  go with it.
- STRONG: prompts and teasers (share, follow, subscribe, "RELATED: ...",
  paywall and cookie notices, navigation leftovers); residue anywhere.
- EDGE: residue only in the head or tail of the text (before the first
  story paragraph or after the last), where feeds and templates add their
  footers; in the middle the same short line is a subheading or a quote.

The groups are written in lower case: the cleaner matches them, joined,
against the lower-cased unit (re.IGNORECASE is several times slower). A
pattern that would try its words at every position of every short paragraph
starts with a lookahead for what it cannot match without (a final "?"), so
most paragraphs fail it in one scan.

Not residue, on purpose: what the publisher says about this article —
copyright and licence notices, "originally published in ..." attributions,
affiliate disclosures, corrections. They belong to the article (a licence
may even require them), and labelled benchmarks count them as its text.
"""

from __future__ import annotations

import re

_I = re.IGNORECASE

# An arrow, ellipsis or guillemet a "read more" link often ends with.
_TRAIL = r"[\s.:!…»›>→\-–—\]\)\[\(]*"


def _compile(*sources: str) -> tuple[re.Pattern[str], ...]:
    return tuple(re.compile(p, _I) for p in sources)


STAMPS = _compile(
    # "Read more", "Read More »", "Continue reading →", "Read the full story", "Keep reading"
    rf"^[\[\(]?\s*(read|continue reading|keep reading|read the (full|whole|rest of the|complete) "
    rf"(story|article|post|piece|report)|read (the )?(full|whole) (story|article|post)|read more|"
    rf"more|full (story|article)|view (the )?(full|original) (story|article|post)|"
    rf"(click|tap) (here )?to (read|continue|see|view)( more| the (full|rest))?[\w\s]{{0,30}}|"
    rf"see more|learn more|find out more|read the rest of (this|the) (entry|post|article|story)|"
    rf"weiterlesen|mehr lesen|jetzt weiterlesen|hier weiterlesen|zum weiterlesen|lire la suite|"
    rf"lire plus|leer m[aá]s|seguir leyendo|continuar leyendo|leggi (tutto|di pi[uù])|continua a leggere|"
    rf"leia mais|continue lendo|lees meer|verder lezen|czytaj (dalej|wi[eę]cej)|читать далее)\b{_TRAIL}"
    rf"((on|at|from|in|via|auf|sur|en|su|em|op)\s+[^.!?]{{1,60}}|:\s*.{{0,150}})?"
    rf"{_TRAIL}$",
    # "The post X appeared first on Y." — the WordPress feed footer
    r"^the post .{0,300}appeared first on .{1,120}$",
    r"^view (full|more) coverage( on .{1,40})?$",
    r"^submitted by /?u/\S+.{0,80}$",
    r"^(article url|comments url|points|# ?comments)\s*:\s*\S{1,200}$",
    # Tool and plugin stamps
    r"^(proudly )?(powered|generated|created|syndicated|curated|aggregated|imported|delivered|"
    r"brought to you) (by|with|via|using) .{1,60}$",
    r"^let[’']?s block ads!?\s*(\(why\??\))?\s*$",
    r"^(this )?(article|post|content|feed|entry) (was )?(auto(matically)?[- ]?)?(generated|"
    r"imported|fetched|syndicated|aggregated|curated) (by|from|with|via|using) .{1,80}$",
    r"^(full[- ]text )?(rss|atom) (feed )?(generated|provided|created|delivered) by .{1,80}$",
    r"^via (feedburner|feedly|google news|full[- ]?text rss|fivefilters|ifttt|zapier).{0,40}$",
)

LABELS = _compile(
    r"^(related|related (articles?|stories|posts?|content|coverage|links|reading|news|topics|videos?)|"
    r"recommended( for you| reading| articles| stories)?|"
    r"you (may|might) (also )?(like|enjoy|be interested in)|more stories|more news|more from .{1,40}|"
    r"trending( now)?|most popular|most read|top stories|read next|up next|see also|"
    r"popular (posts|stories|articles)|latest (news|stories|posts|articles)|more in .{1,40}|popular on .{1,40}|"
    r"most read (in|on) .{1,40}|don[’']t miss( this)?|must read|editor[’']?s picks?|"
    r"ähnliche (beiträge|artikel|themen)|verwandte (artikel|beiträge|themen)|das könnte sie auch interessieren|"
    r"auch interessant|mehr zum thema|weitere (artikel|beiträge|nachrichten)( (aus|zu|von|zum|zur) .{1,40})?|"
    r"lesen sie auch|"
    r"articles? (similaires|connexes|liés)|à lire aussi|lire aussi|sur le même sujet|"
    r"art[ií]culos? relacionados?|te puede interesar|tambi[eé]n te puede interesar|lee tambi[eé]n|"
    r"articoli correlati|potrebbe interessarti|leggi anche|artigos relacionados|leia tamb[eé]m|veja tamb[eé]m|"
    r"gerelateerde artikelen|lees ook|похожие (статьи|записи)|читайте также|関連記事|おすすめ記事)\s*[:.…!]*$",
    # Share and comment widgets
    r"^(share|share this|share this (article|story|post|page)|share on .{1,20}|"
    r"share via .{1,20}|click to share.{0,60}|tweet( this)?|pin it|print|email|"
    r"print this (article|page|story)|email this (article|page|story)|"
    r"like this:?|share this:?|comments?|\d+ comments?|leave a (comment|reply)|"
    r"join the conversation|show comments|view comments|teilen|diesen artikel teilen|artikel teilen|"
    r"jetzt teilen|partager( cet article)?|compartir( en .{1,20})?|condividi|compartilhe|delen|"
    r"kommentare?|\d+ kommentare?|commentaires?|comentarios?|commenti|комментарии|"
    r"(read|view|show|see) (all )?(new )?comments( \(\d+\))?|(all|top rated|latest|recent) comments|"
    r"join (the )?discussion|want to join the discussion\?|tell us what you think|link permanente|permalink|"
    r"kommentieren|kommentar schreiben|no comments( yet)?|keine kommentare.{0,80}|about the author|"
    r"über den autor|über die autorin|à propos de l[’']auteur|sobre el autor|rezept drucken|artikel drucken|"
    r"beitrag drucken|print recipe|pdf|als pdf herunterladen|download (as )?pdf|(dieses|diesen) .{1,30} als pdf "
    r"herunterladen)"
    r"\s*[:.!]*$",
)

STRONG = _compile(
    # Advertisement labels
    r"^(advertisement|ad)\s*[-–—:|]\s*(scroll|continue|story continues).{0,40}$",
    r"^(advertisement|advertising|sponsored( content)?|ad|ads|promoted|paid content|"
    r"story continues (below|after)( the)? (advertisement|ad)|"
    r"article continues (below|after)( the)? (advertisement|ad)|"
    r"continue reading (the main story|below)|skip (advertisement|ad)|anzeige|werbung|publicit[eé]|"
    r"publicidad|publicidade|pubblicit[aà])\s*[.:]?$",
    r"^[-–—*\s]*(advertisement|anzeige|werbung|publicidad|publicité|sponsored)[-–—*\s]*$",
    # Teasers with a label: "RELATED: ...", "READ MORE: ...", "SEE ALSO ..."
    r"^[\[\(]?\s*(related|related (article|story|stories|content|coverage|links?|reading|posts?|videos?)|"
    r"read more|read also|also read|more reading|recommended|recommended reading|"
    r"see also|also see|more from .{1,40}|don[’']t miss|must read|"
    r"most read|most popular|top stories|editor[’']?s picks?|you may also like|"
    r"you might also like|also on .{1,40}|more on this (story|topic)|more coverage|"
    r"watch|video|more|read next|up next|next up|related video|lesen sie auch|lesen sie mehr|mehr dazu|"
    r"auch interessant|lire aussi|à lire aussi|lee tambi[eé]n|leia tamb[eé]m|leggi anche|puedes ver)"
    r"\s*[:|»›>→\-–—]+\s*.{0,200}$",
    # Share / follow / subscribe / newsletter prompts
    r"^(like|follow|find|join|connect with|add) (us|.{1,60}) on (facebook|twitter|x|instagram|"
    r"linkedin|youtube|tiktok|threads|bluesky|mastodon|telegram|whatsapp|flipboard|"
    r"google news|apple news)\b.{0,120}$",
    r"^(folgen sie|folge|suivez|s[ií]guenos|seguici|siga)\b.{0,80}\b(facebook|twitter|instagram|linkedin|"
    r"youtube|tiktok|telegram|whatsapp|x)\b.{0,80}$",
    r"^(want|looking) (more|to read more)\b.{0,120}\?.{0,120}$",
    r"^(to )?(get|receive) .{0,60}(in your inbox|delivered to your inbox|newsletter).{0,100}$",
    r"^(got|have) a (news )?tip\?.{0,120}$",
    # Share and feedback questions: "Möchten Sie den Artikel teilen?", "Was this article helpful?"
    r"^(?=.*\?$).{0,40}\b(share|teilen|partager|compartir|condividere)\b.{0,30}\?$",
    r"^(was|is) this (article|page|post|story) (helpful|useful)\??.{0,40}$",
    r"^(war|ist|fanden sie) (der|dieser|diesen|den) (artikel|beitrag|text) (nützlich|hilfreich)\??.{0,40}$",
    # Sign-in notices
    r"^(sie sind|du bist|you are) (aktuell |derzeit |currently |not |nicht )+(eingeloggt|angemeldet|"
    r"logged in|signed in)\b.{0,60}$",
    r"^(you must|sie müssen|du musst) (be logged in|sich einloggen|dich einloggen|sich anmelden|log in)\b.{0,120}$",
    # An advertisement label with its text: "ANZEIGE - ...", "Advertisement: ..."
    r"^(anzeige|werbung|advertisement|sponsored|publicidad|publicité)\s*[-–—:|]\s*.{0,200}$",
    r"^(sign up|subscribe|newsletter)\s*[:!|\-–—]\s*.{0,200}$",
    r"^[\w’' ]{1,40} newsletters?$",
    # "More AP NBA: https://apnews.com/NBA": a promotion of the site's other pages
    r"^more .{1,40}:\s*https?://\S+.{0,160}$",
    r"^(tags?|filed under|schlagwörter|étiquettes|etiquetas)\s*:.{0,200}$",
    # Calls to action and widgets
    r"^(enjoy(ed)?|like[d]?|love[d]?) (this|the|our) (post|article|story|piece|newsletter)\?.{0,120}$",
    r"^support (our|independent|local|quality) (journalism|reporting|newsroom|work).{0,150}$",
    r"^like this (story|article|post|piece)\?.{0,80}$",
    r"^(thanks?|thank you) (you )?for (signing up|subscribing|registering|reading)[.!]?.{0,60}$",
    r"^.{0,40}error (processing|with) your (subscription|request|sign[- ]?up).{0,40}$",
    r"^visit .{1,60} (homepage|website|site) for more.{0,40}$",
    r"^this copy is for your personal,? non-?commercial use.{0,300}$",
    r"^(order reprints|reprints|print article|save article|gift( this)? article|share article|"
    r"save for later|bookmark|listen to (this|the) (article|story))\s*[.:]?$",
    r"^\w{1,20}\s*:\s*https?://\S+$",
    r"^(?=.*\]\s*\|?$).{5,200}\s*\[(insight|video|reaction|pics|pictures|photos|gallery|watch|latest|analysis|poll|live|"
    r"update|more|read)\]\s*\|?$",
    r"^(also on|auch auf|aussi sur|también en) \S+\.[a-z]{2,}\b.{0,200}$",
    r"^(zurück|back|retour|volver) (zur|zum|to( the)?|à la|a la) (übersicht|listenansicht|liste|list|overview|"
    r"startseite|homepage|home|article list)\b.{0,20}$",
    # Cookie and paywall notices
    r"^(we|this (site|website)) uses? cookies\b.{0,300}$",
    r"^by (continuing to (use|browse)|using) (this|our) (site|website).{0,300}(cookies|privacy).{0,100}$",
    r"^(accept( all)?( cookies)?|manage (cookies|preferences)|cookie (settings|policy|preferences))"
    r"\s*[.:]?$",
    r"^(subscribe|log in|sign in|register) to (continue|keep) reading.{0,200}$",
    r"^(already a (subscriber|member)\??|have an account\??)\s*(log|sign) ?in.{0,60}$",
    r"^you (have|[’']ve) (reached|read|used) (your|all of your|\d+ of your) .{0,40}"
    r"(free )?(articles?|stories|limit).{0,160}$",
    r"^this (article|story|content) is (only )?(available |exclusively )?(for|to) "
    r"(subscribers|members|premium).{0,160}$",
    r"^(unlock|get) (unlimited|full|digital) access.{0,160}$",
    r"^(pour lire la suite|to view the full (story|article)|um (den artikel )?weiterzulesen|para (seguir leyendo|"
    r"leer la nota completa)|per continuare a leggere)\b.{0,200}$",
    r"^if you[’']?(re| are) (seeing this message|already a (subscriber|member)).{0,200}$",
    r"^(become|werden sie|hazte|devenez|diventa) (a |an )?(member|subscriber|mitglied|abonnent|miembro|socio|"
    r"membre|abonné|socio)\b.{0,120}$",
    r"^.{0,100}\?\s*(sign up|subscribe|register|jetzt anmelden|abonnieren|suscríbete|abonnez-vous)( here| now| "
    r"today| hier| jetzt)?[.!]?$",
    # Rating widgets
    r"^\(?(no ratings yet|noch keine bewertungen?|keine bewertungen?|sin valoraciones|aucune note)\)?\.?$",
    r"^(wie bewerten sie|bewerten sie|rate|bewerte) (diesen|den|this|dieses) (artikel|beitrag|article|post|"
    r"rezept|recipe)\??$",
    # Server errors printed into the page
    r"^(warning|notice|deprecated|fatal error|parse error)\s*:.{0,300}\bon line \d+\.?$",
    # Agency names alone, left from a picture's credit
    r"^[\[\(]?\s*(getty images|ap photo|reuters|afp|epa|shutterstock|istock|associated press|"
    r"afp via getty images|ap images|bloomberg|pool|dpa)(\s*/\s*.{1,60}|\s+via\s+.{1,40})?"
    r"\s*[\]\)]?$",
    r"^(?=.*/)[\[\(]?\s*.{1,80}\s*/\s*(getty images|ap( photo)?|reuters|afp|epa|shutterstock|istock|"
    r"bloomberg|the washington post|the new york times|pool|dpa)(\s+via\s+.{1,40})?\s*[\]\)]?$",
    # Navigation leftovers
    r"^(back to top|top of page|skip to (main )?content|home|menu|search|close|next|previous|"
    r"next (article|post|story)|previous (article|post|story)|« previous|next »|loading\.{0,3}|"
    r"\(opens in new window\)|opens in a new (window|tab)|nach oben|zurück|retour|volver)\s*[.:]?$",
)

# A credit left as text: "Photo: Jane Doe/Reuters", "Image via NASA", "Foto: dpa". Only
# a short value that reads as names is a credit; "Cover image: an artist's impression
# of ..." is a caption, and stays.
CREDIT = re.compile(
    r"^[\[\(]?\s*(photo|photograph|image|picture|illustration|credit|photos? credit|image credit|"
    r"source image|image source|photo source|featured image|header image|top image|lead image|cover image|"
    r"file photo|screenshot|screengrab|foto|fotos|bild|bildquelle|fotocredit|crédit photo|créditos?|"
    r"titelbild|beitragsbild|headerbild|vorschaubild|aufmacherbild|symbolbild|teaserbild|"
    r"imagen|immagine)s?\s*((:|/|—|–|-|\|)|\s(by|via|courtesy( of)?|von|de|di))\s*(?P<value>.{1,120}?)"
    r"[\]\)]?\.?$",
    _I,
)
MAX_CREDIT_WORDS = 8
# Words a credit's names are joined with, that need no capital.
CREDIT_LINK_WORDS = frozenset(
    {"via", "by", "for", "of", "and", "&", "courtesy", "from", "on", "de", "di", "da", "van", "von", "der",
     "the", "y", "et", "und", "-", "—", "–", "©", "(c)", "photo", "foto"}
)

# Stamps long enough to pass for a paragraph, recognised whatever their length.
LONG_STAMPS: tuple[re.Pattern[str], ...] = tuple(
    re.compile(p, _I)
    for p in (
        r"^this entry passed through the full-text rss service.{0,400}$",
        r"^if you (liked|enjoyed|like|enjoy|found|appreciated|value) (this|the|our) (article|post|story|piece|"
        r"content|newsletter|journalism|reporting)\b.{0,400}$",
        r"^this copy is for your personal,? non-?commercial use.{0,400}$",
        r"^(we|this (site|website)) uses? cookies\b.{0,400}$",
    )
)

# Calls to action whose words a story sentence can also use ("Sign up was slow, officials
# said"): residue anywhere, unless the line reads as an attributed sentence.
STRONG_UNLESS_ATTRIBUTED: tuple[re.Pattern[str], ...] = tuple(
    re.compile(p, _I)
    for p in (
        r"^(?=.*click).{0,150}\bclick(ing)? here\b.{0,80}$",
        r"^(follow|subscribe to|sign up for|get|join) .{0,60}(newsletter|alerts?|updates|"
        r"briefing|digest|podcast|channel)\b.{0,120}$",
        r"^(subscribe|sign up|sign in|log in|register|join( us)?)( now| today| here| free| for free| "
        r"to continue| below)?\s*[.!:→»›>]*$",
        r"^(get|download) (the|our) (free )?app\b.{0,60}$",
    )
)
ATTRIBUTION = re.compile(r"\b(said|says|told|according to|asked|added|explained|wrote)\b", _I)

# Shapes that are residue only at the head or tail of a text.
EDGE: tuple[re.Pattern[str], ...] = tuple(
    re.compile(p, _I)
    for p in (
        r"^(today[’']?s|more|the latest|all|our|daily|weekly) (coverage|news|stories|headlines|"
        r"updates|reporting|analysis) (from|by|on|about) .{1,120}$",
        # A site footer's notice spans years ("© 1999-2020 X"); an article's names its year, and stays.
        r"^(copyright\s*)?(©|\(c\)|copyright)\s*(\d{4}\s*[-–—]\s*\d{4}).{0,160}$",
        r"^(follow|find) (us|.{1,40}) (on|at) .{1,80}$",
        r"^(write to|email|e-mail|contact) .{1,60} (at|via) \S+@\S+.{0,40}$",
        r"^(reading time|tempo de leitura|lesezeit|temps de lecture|tiempo de lectura)\s*:?\s*\d+.{0,20}$",
        r"^\d{1,3}[- ]?(min(ute)?s?|mins?)\.? read\s*[.]?$",
        r"^\D{0,24}[\s:\[(]*\d{1,4}[-./]\d{1,2}[-./]\d{1,4}([ tT]\d{1,2}:\d{2}(:\d{2})?\S*)?\s*(am|pm)?[\s\])]*$",
        r"^(tags?|filed under|categories|category|topics?)\s*:.{0,200}$",
        r"^(source|via|h/t|hat tip)\s*:?\s*\S.{0,80}$",
        r"^(updated|published|posted|last updated|first published)\s*(on|at|:)?\s*.{0,60}\d.{0,40}$",
        r"^\d{1,2}\s*(min(ute)?s?|mins?)( read)?\s*[.]?$",
        r"^(contact|reach) (the )?(author|writer|reporter|us)\b.{0,120}$",
        r"^(telefon|tel\.?|phone|fax|e-?mail|internet|web)\s*:\s*\S.{0,80}$",
        r"^(weitere|mehr|more|further) (informationen|information|infos|info)( (zu|zum|zur|über|on|about) .{1,50})?"
        r"\s*:?$",
        r"^.{0,80}\b(síguenos|seguir a|follow us|folgen sie uns|suivez-nous|seguici)\b.{0,120}\b(facebook|"
        r"twitter|instagram|youtube)\b.{0,120}$",
        r"^(kontakt|contact( us)?|impressum|imprint|datenschutz|privacy( policy)?|terms( of (use|service))?|"
        r"sitemap|agb|nutzungsbedingungen)$",
        r"^(inhaltsverzeichnis|table of contents|contents|inhalt|sommaire|índice|indice)$",
        r"^(veröffentlicht|veröffentlichung|published|publicado|publié|pubblicato)( am| on| el| le| il)?\s*:?\s*$",
        r"^(comments|discussion|conversation) (are|is) (closed|open|welcome).{0,80}$",
        r"^(you can )?(also )?(follow|find|reach|email|contact) (me|him|her|them|the author)\b.{0,120}$",
    )
)

# A line made only of punctuation, bullets or stray symbols.
DECORATION = re.compile(r"^[\W_]{1,40}$")

# "[…]" or "[...]" on its own: the mark of a truncated excerpt.
ELLIPSIS_MARK = re.compile(r"^[\[\(]?\s*(…|\.\.\.|\[…\]|\[\.\.\.\])\s*[\]\)]?$")

# A teaser that is a headline in brackets: "[The bonds that Washington cannot break]".
BRACKETED_TEASER = re.compile(r"^\[\s*[^\[\]]{3,200}\]$")

# A byline: "By Jane Doe", "By and David Filipov,", "BY JANE DOE AND JOHN ROE | Reuters".
BYLINE = re.compile(r"^(by|written by|words by|story by|reporting by|posted by|von|par|por|di)\b[\s:]*(?P<rest>.{0,200})$", _I)

# The words a line ends with when it is a sentence (not a label or a stamp).
SENTENCE_END = re.compile(r"[.!?…:;\"”’')\]。．！？」』）】।؟۔]\s*$")

# A word, or one ideograph or kana (Chinese and Japanese do not put spaces between words).
_IDEOGRAPHS = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
WORD = re.compile(rf"[{_IDEOGRAPHS}]|[^\W{_IDEOGRAPHS}]+")
