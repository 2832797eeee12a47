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
    "nav.failed": ("Failed", "Fejl"),
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
    "error.not_found": ("Not found: it does not exist here.", "Siden findes ikke."),
    "error.csrf": (
        "The form had expired or was not sent from this site. Nothing was changed: reload "
        "the page and try again.",
        "Formularen er udløbet eller kom ikke fra billysync. Intet er ændret: genindlæs "
        "siden, og prøv igen.",
    ),
    "error.billy_unreachable": (
        "Billy could not be reached ({reason}). Try again in a moment.",
        "Billy kunne ikke nås ({reason}). Prøv igen om lidt.",
    ),
    "error.not_started": (
        "The work could not be started ({reason}). Check that billysync's workers are running, "
        "then try again.",
        "Opgaven kunne ikke startes ({reason}). Tjek, at billysync kører, og prøv igen.",
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
    "overview.no_match": (
        "No orders match the filter.",
        "Ingen ordrer passer til filteret.",
    ),
    "overview.nothing_yet": ("No orders yet.", "Ingen ordrer endnu."),
    "overview.start_settings": (
        "Connect Billy and choose accounts under Settings",
        "Forbind Billy og vælg konti under Indstillinger",
    ),
    "overview.start_check": ("Run the setup check", "Kør opsætningstjekket"),
    "overview.waiting_for_first": (
        "Orders appear here as soon as the shop sends them.",
        "Ordrerne dukker op her, så snart butikken sender dem.",
    ),
    "overview.amount_from_shop": (
        "the order's total from the shop, not invoiced yet",
        "ordrens total fra butikken, endnu ikke faktureret",
    ),
    "overview.showing": ("{first}–{last} of {total}", "{first}–{last} af {total}"),
    "overview.page_of": ("Page {page} of {pages}", "Side {page} af {pages}"),
    "overview.previous": ("Previous", "Forrige"),
    "overview.next": ("Next", "Næste"),
    "kind.order": ("order", "ordre"),
    "kind.return": ("return", "returnering"),
    "state.received": ("received", "modtaget"),
    "state.waiting": ("waiting", "afventer"),
    "state.waiting_paid": ("awaiting payment", "afventer betaling"),
    "state.waiting_shipped": ("awaiting shipment", "afventer afsendelse"),
    "state.transferred": ("transferred", "faktureret"),
    "state.paid": ("paid", "betalt"),
    "state.credited": ("credited", "krediteret"),
    "state.failed": ("failed", "fejl"),
    "state.skipped": ("skipped", "sprunget over"),
    # document chain
    "chain.title": ("Order", "Ordre"),
    "chain.steps": ("Steps and Billy calls", "Trin og kald til Billy"),
    "chain.no_answer": ("no answer", "intet svar"),
    "chain.no_steps": ("No steps recorded yet.", "Ingen trin registreret endnu."),
    "chain.documents": ("The document chain", "Dokumentkæden"),
    "chain.no_documents": ("not yet", "endnu ikke"),
    "chain.in_billy": ("In Billy", "I Billy"),
    "chain.booked_yes": ("booked", "bogført"),
    "chain.when": ("When", "Hvornår"),
    "chain.step": ("Step", "Trin"),
    "chain.call": ("Billy call", "Kald til Billy"),
    "chain.result": ("Result", "Resultat"),
    "chain.document": ("Document", "Dokument"),
    "chain.booked_order": ("The invoice in Billy", "Fakturaen i Billy"),
    "chain.booked_return": ("The credit note in Billy", "Kreditnotaen i Billy"),
    "chain.reading_billy": ("Reading it from Billy…", "Henter bilaget fra Billy…"),
    "chain.not_booked_order": (
        "Not in Billy yet.",
        "Ikke bogført i Billy endnu.",
    ),
    "chain.not_booked_return": (
        "No credit note in Billy yet.",
        "Ingen kreditnota i Billy endnu.",
    ),
    "chain.see_preview": ("See what would be booked →", "Se hvad der ville blive bogført →"),
    "chain.billy_unreadable": (
        "The booked document could not be read from Billy just now.",
        "Det bogførte bilag kunne ikke hentes fra Billy lige nu.",
    ),
    "chain.not_found": (
        "billysync has nothing for this order.",
        "billysync har intet for denne ordre.",
    ),
    # the steps of an order's log (the engine's step names)
    "step.contact": ("contact", "kontakt"),
    "step.invoice": ("invoice", "faktura"),
    "step.payment": ("payment", "betaling"),
    "step.credit_note": ("credit note", "kreditnota"),
    "step.refund": ("refund", "tilbagebetaling"),
    "step.product": ("product", "produkt"),
    "step.retry": ("retry", "nyt forsøg"),
    "step.reference": ("Billy's settings", "Billys opsætning"),
    "step.changed": ("changed in the shop", "ændret i butikken"),
    "step.received": ("received", "modtaget"),
    "step.waiting": ("waiting", "afventer"),
    "step.transferred": ("transferred", "overført"),
    "step.paid": ("paid", "betalt"),
    "step.credited": ("credited", "krediteret"),
    "step.failed": ("stopped", "stoppet"),
    "step.skipped": ("skipped", "sprunget over"),
    "doc.order": ("order", "ordre"),
    "doc.contact": ("contact", "kontakt"),
    "doc.invoice": ("invoice", "faktura"),
    "doc.payment": ("payment", "betaling"),
    "doc.credit_note": ("credit note", "kreditnota"),
    "doc.refund": ("refund", "refundering"),
    "doc.product": ("product", "produkt"),
    "doc.return": ("return", "returnering"),
    # failed work
    "failed.title": (
        "Stopped orders and returns",
        "Stoppede ordrer og returneringer",
    ),
    "failed.empty": (
        "Nothing is stopped: every order is on its way.",
        "Intet er stoppet: alle ordrer er på vej.",
    ),
    "failed.retry": ("Retry", "Prøv igen"),
    "failed.retry_all": ("Retry all of this kind", "Prøv alle i gruppen igen"),
    "failed.retried": ("{key} is being retried.", "{key} prøves igen."),
    "failed.retried_all": (
        "{count} orders and returns are being retried.",
        "{count} ordrer og returneringer prøves igen.",
    ),
    "failed.retried_one": (
        "1 order or return is being retried.",
        "1 ordre eller returnering prøves igen.",
    ),
    "failed.retried_none": ("Nothing to retry.", "Der var intet at prøve igen."),
    "failed.kind.configuration": (
        "Settings: fix them under Settings or in Billy, then retry.",
        "Opsætningen: ret den under Indstillinger eller i Billy, og prøv igen.",
    ),
    "failed.kind.transient": (
        "Billy or the shop did not answer; retried by itself first.",
        "Billy eller butikken svarede ikke. Vi prøver selv igen først.",
    ),
    "failed.kind.data": (
        "The order's data: correct it in the shop, then retry.",
        "Ordrens oplysninger: ret ordren i butikken, og prøv igen.",
    ),
    "failed.kind.conflict": (
        "Billy has something that does not match: see the document chain.",
        "Billy har allerede noget, der ikke stemmer: se dokumentkæden.",
    ),
    "failed.kind.other": ("Other failures", "Andre fejl"),
    "failed.retry_everything": ("Retry all", "Prøv alle igen"),
    "failed.attempts": ("Attempts", "Forsøg"),
    "failed.newest_shown": (
        "The newest {shown} of {count} are shown; the group's retry button retries all {count}.",
        "De nyeste {shown} af {count} vises. Gruppens knap prøver alle {count} igen.",
    ),
    # products
    "products.title": ("Products", "Produkter"),
    "products.intro": (
        "Products are kept in sync with Billy in the background; unchanged products cost no "
        "Billy call.",
        "Produkterne holdes opdateret i Billy i baggrunden. Et uændret produkt sendes ikke igen.",
    ),
    "products.last_pass": ("Last pass", "Seneste synkronisering"),
    "products.never": ("not yet", "endnu ikke"),
    "products.synced": ("Synced", "Synkroniseret"),
    "products.unchanged": ("Unchanged", "Uændret"),
    "products.failed": ("Failed", "Fejl"),
    "products.last_error": ("Last error", "Seneste fejl"),
    "products.bound": ("Products in Billy", "Produkter i Billy"),
    "products.sync_now": ("Sync now", "Synkronisér nu"),
    "products.search_placeholder": ("Item number…", "Varenummer…"),
    "products.item_number": ("Item no.", "Varenr."),
    "products.name": ("Name", "Navn"),
    "products.state": ("State", "Status"),
    "products.changed": ("Last change in Billy", "Senest ændret i Billy"),
    "products.failure": ("What went wrong", "Hvad gik galt"),
    "products.when": ("When", "Hvornår"),
    "products.state_in_billy": ("in Billy", "i Billy"),
    "products.state_failed": ("not synced", "ikke synkroniseret"),
    "products.state_archived": ("archived in Billy", "arkiveret i Billy"),
    "products.not_synced": (
        "Products that could not be synced",
        "Produkter der ikke kunne synkroniseres",
    ),
    "products.count": ("{total} products in Billy", "{total} produkter i Billy"),
    "products.none_yet": (
        "No products in Billy yet: they appear after the first sync pass.",
        "Ingen produkter i Billy endnu: de kommer efter første synkronisering.",
    ),
    "products.none_match": (
        "No product has that item number.",
        "Intet produkt har det varenummer.",
    ),
    "products.started": (
        "A product sync pass has started.",
        "Synkroniseringen er startet.",
    ),
    # preview
    "preview.title": ("Preview", "Forhåndsvisning"),
    "preview.intro": (
        "What would be posted to Billy for an order. Nothing is written.",
        "Se, hvad en ordre bliver til i Billy, før den bogføres. Intet sendes til Billy.",
    ),
    "preview.order_number": ("Order number", "Ordrenummer"),
    "preview.order_number_example": ("e.g. 10001", "fx 10001"),
    "preview.submit": ("Preview", "Vis"),
    "preview.invoice_for": ("Invoice for order {number}", "Faktura for ordre {number}"),
    "preview.payment": ("Payment", "Betaling"),
    "preview.no_payment": (
        "No payment would be posted (payment posting is off, or the order is not paid).",
        "Der bogføres ingen betaling (automatisk bogføring er slået fra, eller ordren er ikke "
        "betalt).",
    ),
    "preview.account_unknown": (
        "the account could not be read from Billy",
        "kontoen kunne ikke læses fra Billy",
    ),
    "preview.findings": ("What would stop this order", "Det forhindrer bogføringen"),
    "preview.failed": (
        "The preview could not be made:",
        "Forhåndsvisningen kunne ikke laves:",
    ),
    "preview.unknown_order": (
        "billysync has not received an order numbered {number}.",
        "billysync har ikke modtaget en ordre med nummer {number}.",
    ),
    "preview.already_booked": (
        "Order {number} is already in Billy as invoice no. {invoice}: nothing more would be "
        "posted for it. Below is what billysync would post from the shop's order today.",
        "Ordre {number} er allerede bogført i Billy som faktura nr. {invoice}: der bogføres "
        "ikke mere for den. Herunder ses, hvad billysync ville bogføre ud fra butikkens ordre i "
        "dag.",
    ),
    "preview.already_booked_no_number": (
        "Order {number} is already in Billy: nothing more would be posted for it.",
        "Ordre {number} er allerede bogført i Billy: der bogføres ikke mere for den.",
    ),
    "preview.see_booked": ("See it as booked →", "Se den som bogført →"),
    "preview.new_products": (
        "Created in Billy first (not there yet): item no. {items}.",
        "Oprettes først i Billy (findes ikke endnu): varenr. {items}.",
    ),
    # documents as the bookkeeper reads them (templates/_document.html)
    "doc.attention": ("Attn.", "Att."),
    "doc.cvr": ("VAT no.", "CVR-nr."),
    "doc.ean": ("EAN", "EAN-nr."),
    "doc.company": ("Business customer", "Erhvervskunde"),
    "doc.private": ("Private customer", "Privatkunde"),
    "doc.invoice_no": ("Invoice no.", "Fakturanr."),
    "doc.credit_note_no": ("Credit note no.", "Kreditnotanr."),
    "doc.number_on_booking": ("given by Billy when booked", "tildeles af Billy ved bogføring"),
    "doc.order_no": ("Order no.", "Ordrenr."),
    "doc.date": ("Date", "Dato"),
    "doc.currency": ("Currency", "Valuta"),
    "doc.description": ("Description", "Beskrivelse"),
    "doc.quantity": ("Qty", "Antal"),
    "doc.unit_price": ("Unit price", "Stykpris"),
    "doc.vat": ("VAT", "Moms"),
    "doc.amount_incl": ("Amount incl. VAT", "Beløb inkl. moms"),
    "doc.amount_excl": ("Amount excl. VAT", "Beløb ekskl. moms"),
    "doc.discount": ("discount", "rabat"),
    "doc.net": ("Subtotal excl. VAT", "Subtotal ekskl. moms"),
    "doc.vat_total": ("VAT", "Moms"),
    "doc.total": ("Total", "I alt"),
    "doc.credit_total": ("Total credited", "Krediteret i alt"),
    "doc.prices_incl": ("Prices include VAT.", "Priserne er inkl. moms."),
    "doc.prices_excl": ("Prices are without VAT.", "Priserne er ekskl. moms."),
    "doc.payments": ("Payments", "Betalinger"),
    "doc.account": ("Account", "Konto"),
    "doc.amount": ("Amount", "Beløb"),
    "doc.paid_back": ("paid back", "tilbagebetalt"),
    "doc.open_in_billy": ("Open in Billy", "Åbn i Billy"),
    # what a Billy write did (chain.written_key), in place of the engine's line with its marker
    "written.created.contact": ("Contact created in Billy.", "Kontakten er oprettet i Billy."),
    "written.created.invoice": (
        "Invoice created and approved in Billy.",
        "Fakturaen er oprettet og godkendt i Billy.",
    ),
    "written.created.payment": ("Payment posted in Billy.", "Betalingen er bogført i Billy."),
    "written.created.credit_note": (
        "Credit note created in Billy.",
        "Kreditnotaen er oprettet i Billy.",
    ),
    "written.created.refund": ("Refund posted in Billy.", "Tilbagebetalingen er bogført i Billy."),
    "written.created.product": ("Product created in Billy.", "Produktet er oprettet i Billy."),
    "written.adopted.contact": (
        "The contact was already in Billy and is used.",
        "Kontakten fandtes allerede i Billy og bruges.",
    ),
    "written.adopted.invoice": (
        "The invoice was already in Billy and is used (not created twice).",
        "Fakturaen fandtes allerede i Billy og bruges (ikke oprettet to gange).",
    ),
    "written.adopted.payment": (
        "The payment was already in Billy (not posted twice).",
        "Betalingen fandtes allerede i Billy (ikke bogført to gange).",
    ),
    "written.adopted.credit_note": (
        "The credit note was already in Billy (not created twice).",
        "Kreditnotaen fandtes allerede i Billy (ikke oprettet to gange).",
    ),
    "written.adopted.refund": (
        "The refund was already in Billy (not posted twice).",
        "Tilbagebetalingen fandtes allerede i Billy (ikke bogført to gange).",
    ),
    "written.adopted.product": (
        "The product was already in Billy and is used.",
        "Produktet fandtes allerede i Billy og bruges.",
    ),
}
