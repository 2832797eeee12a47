"""The texts of the layout and the daily pages: overview, document chain, failed work,
products, preview (English, Danish).

Part of the catalogue in i18n.py; kept apart only to keep each module readable.
"""

from __future__ import annotations

# key: (English, Danish)
WORK_TEXTS: dict[str, tuple[str, str]] = {
    # layout and navigation
    "app.name": ("billysync", "billysync"),
    "app.tagline": ("Webshop bookkeeping in Billy", "Webshop-bogføring i Billy"),
    "nav.shops": ("Shops", "Butikker"),
    "nav.overview": ("Overview", "Oversigt"),
    "nav.failed": ("Failed", "Fejlet"),
    "nav.products": ("Products", "Produkter"),
    "nav.preview": ("Preview", "Forhåndsvisning"),
    "nav.settings": ("Settings", "Indstillinger"),
    "nav.check": ("Setup check", "Opsætningstjek"),
    "nav.logout": ("Log out", "Log ud"),
    "nav.language": ("Dansk", "English"),
    "common.save": ("Save", "Gem"),
    "common.cancel": ("Cancel", "Annullér"),
    "common.back": ("Back", "Tilbage"),
    "common.none": ("—", "—"),
    "common.choose": ("Choose…", "Vælg…"),
    "common.yes": ("Yes", "Ja"),
    "common.no": ("No", "Nej"),
    "common.search": ("Search", "Søg"),
    "common.filter": ("Filter", "Filtrér"),
    "common.all": ("All", "Alle"),
    "common.from": ("From", "Fra"),
    "common.to": ("To", "Til"),
    "common.show": ("Show", "Vis"),
    "error.title": ("Something is wrong", "Noget er galt"),
    "error.not_found": ("Not found: it does not exist here.", "Ikke fundet: det findes ikke her."),
    "error.csrf": (
        "The form had expired or was not sent from this site. Nothing was changed: reload "
        "the page and try again.",
        "Formularen var udløbet eller kom ikke fra dette site. Intet blev ændret: genindlæs "
        "siden og prøv igen.",
    ),
    "error.billy_unreachable": (
        "Billy could not be reached ({reason}). Try again in a moment.",
        "Billy kunne ikke nås ({reason}). Prøv igen om lidt.",
    ),
    "error.not_started": (
        "The work could not be started ({reason}). Check that billysync's workers are running, "
        "then try again.",
        "Arbejdet kunne ikke startes ({reason}). Tjek at billysyncs arbejdere kører, og prøv "
        "så igen.",
    ),
    # login and first run
    # shops
    # settings: financial system
    # settings: shop connection
    # setup check
    # overview
    "overview.title": ("Overview", "Oversigt"),
    "overview.state": ("State", "Status"),
    "overview.order": ("Order", "Ordre"),
    "overview.kind": ("Kind", "Type"),
    "overview.date": ("Date", "Dato"),
    "overview.invoice": ("Billy invoice", "Billy-faktura"),
    "overview.amount": ("Amount", "Beløb"),
    "overview.reason": ("Reason", "Årsag"),
    "overview.updated": ("Updated", "Opdateret"),
    "overview.search_placeholder": ("Order number…", "Ordrenummer…"),
    "overview.empty": (
        "No orders match. Orders appear here as soon as the shop sends them.",
        "Ingen ordrer passer. Ordrer vises her, så snart butikken sender dem.",
    ),
    "overview.more": ("Showing the newest {count}.", "Viser de nyeste {count}."),
    "kind.order": ("order", "ordre"),
    "kind.return": ("return", "returnering"),
    "state.received": ("received", "modtaget"),
    "state.waiting": ("waiting for trigger", "venter på udløser"),
    "state.transferred": ("transferred", "overført"),
    "state.paid": ("paid", "betalt"),
    "state.credited": ("credited", "krediteret"),
    "state.failed": ("failed", "fejlet"),
    "state.skipped": ("skipped", "sprunget over"),
    # document chain
    "chain.title": ("Document chain", "Dokumentkæde"),
    "chain.steps": ("Steps and Billy calls", "Trin og Billy-kald"),
    "chain.no_answer": ("no answer", "intet svar"),
    "chain.no_steps": ("No steps recorded yet.", "Ingen trin registreret endnu."),
    "chain.documents": ("Documents in Billy", "Dokumenter i Billy"),
    "chain.no_documents": ("Nothing in Billy yet.", "Intet i Billy endnu."),
    "chain.when": ("When", "Hvornår"),
    "chain.step": ("Step", "Trin"),
    "chain.call": ("Billy call", "Billy-kald"),
    "chain.result": ("Result", "Resultat"),
    "chain.document": ("Document", "Dokument"),
    "chain.billy_id": ("Billy id", "Billy-id"),
    "chain.marker": ("Marker", "Markør"),
    "chain.not_found": (
        "billysync has nothing for this order.",
        "billysync har intet for denne ordre.",
    ),
    "doc.order": ("order", "ordre"),
    "doc.contact": ("contact", "kontakt"),
    "doc.invoice": ("invoice", "faktura"),
    "doc.payment": ("payment", "betaling"),
    "doc.credit_note": ("credit note", "kreditnota"),
    "doc.refund": ("refund", "refundering"),
    "doc.product": ("product", "produkt"),
    "doc.return": ("return", "returnering"),
    # failed work
    "failed.title": ("Failed work", "Fejlet arbejde"),
    "failed.empty": ("Nothing has failed.", "Intet er fejlet."),
    "failed.retry": ("Retry", "Prøv igen"),
    "failed.retry_all": ("Retry all of this kind", "Prøv alle af denne slags igen"),
    "failed.retried": ("{key} is being retried.", "{key} prøves igen."),
    "failed.retried_all": (
        "{count} item(s) are being retried.",
        "{count} er sat til at prøve igen.",
    ),
    "failed.kind.configuration": (
        "Settings: fix them under Settings or in Billy, then retry.",
        "Indstillinger: ret dem under Indstillinger eller i Billy, og prøv så igen.",
    ),
    "failed.kind.transient": (
        "Billy or the shop did not answer; retried by itself first.",
        "Billy eller butikken svarede ikke; prøves automatisk først.",
    ),
    "failed.kind.data": (
        "The order's data: correct it in the shop, then retry.",
        "Ordrens data: ret den i butikken, og prøv så igen.",
    ),
    "failed.kind.conflict": (
        "Billy has something that does not match: see the document chain.",
        "Billy har noget der ikke passer: se dokumentkæden.",
    ),
    "failed.kind.other": ("Other failures", "Andre fejl"),
    "failed.retry_everything": ("Retry everything that failed", "Prøv alt fejlet igen"),
    "failed.attempts": ("Attempts", "Forsøg"),
    # products
    "products.title": ("Products", "Produkter"),
    "products.intro": (
        "Products are kept in sync with Billy in the background; unchanged products cost no "
        "Billy call.",
        "Produkter holdes synkroniseret med Billy i baggrunden; uændrede produkter koster intet "
        "Billy-kald.",
    ),
    "products.last_pass": ("Last pass", "Seneste gennemløb"),
    "products.never": ("not yet", "endnu ikke"),
    "products.synced": ("Synced", "Synkroniseret"),
    "products.unchanged": ("Unchanged", "Uændret"),
    "products.failed": ("Failed", "Fejlet"),
    "products.last_error": ("Last error", "Seneste fejl"),
    "products.bound": ("Products in Billy", "Produkter i Billy"),
    "products.sync_now": ("Sync now", "Synkronisér nu"),
    "products.started": (
        "A product sync pass has started.",
        "Et synkroniseringsgennemløb er startet.",
    ),
    # preview
    "preview.title": ("Preview", "Forhåndsvisning"),
    "preview.intro": (
        "What would be posted to Billy for an order. Nothing is written.",
        "Hvad der ville blive sendt til Billy for en ordre. Intet skrives.",
    ),
    "preview.order_key": ("Order key", "Ordrenøgle"),
    "preview.submit": ("Preview", "Forhåndsvis"),
    "preview.contact": ("Contact", "Kontakt"),
    "preview.lines": ("Lines", "Linjer"),
    "preview.contact_person": ("Contact person", "Kontaktperson"),
    "preview.tax_mode.incl": (
        "Unit prices and amounts include VAT.",
        "Enhedspriser og beløb er inklusive moms.",
    ),
    "preview.tax_mode.excl": (
        "Unit prices and amounts are without VAT.",
        "Enhedspriser og beløb er uden moms.",
    ),
    "preview.description": ("Description", "Beskrivelse"),
    "preview.product": ("Product", "Produkt"),
    "preview.quantity": ("Qty", "Antal"),
    "preview.unit_price": ("Unit price", "Enhedspris"),
    "preview.vat": ("VAT", "Moms"),
    "preview.line_total": ("Amount", "Beløb"),
    "preview.totals": ("Totals", "Totaler"),
    "preview.net": ("Net", "Netto"),
    "preview.gross": ("Total", "Total"),
    "preview.payment": ("Payment", "Betaling"),
    "preview.no_payment": ("No payment would be posted.", "Ingen betaling ville blive bogført."),
    "preview.findings": ("Findings", "Fund"),
    "preview.failed": (
        "The preview could not be made: {reason}",
        "Forhåndsvisningen kunne ikke laves: {reason}",
    ),
    "preview.other": ("Other details", "Andre detaljer"),
}
