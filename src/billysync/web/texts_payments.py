"""The settings page's payments card: an account per payment method, fees, invoice e-mail."""

from __future__ import annotations

# key: (English, Danish)
PAYMENT_TEXTS: dict[str, tuple[str, str]] = {
    "payments.title": (
        "Payment methods, fees and invoice e-mail",
        "Betalingsmetoder, gebyrer og faktura-e-mail",
    ),
    "payments.intro": (
        "Payments go to the payment account above unless their payment method has an account "
        "of its own here. A clearing account per gateway (card, MobilePay, …) makes each "
        "payout easy to reconcile: the gateway pays out many orders at once, less its fees.",
        "Betalinger bogføres på betalingskontoen ovenfor, medmindre deres betalingsmetode har "
        "sin egen konto her. En mellemregningskonto pr. betalingsudbyder (kort, MobilePay, …) "
        "gør hver udbetaling let at afstemme: udbyderen udbetaler mange ordrer på én gang, "
        "fratrukket sine gebyrer.",
    ),
    "payments.method": (
        "Payment method, as the shop names it",
        "Betalingsmetode, som butikken kalder den",
    ),
    "payments.method_example": ("e.g. MobilePay", "fx MobilePay"),
    "payments.account": ("Account", "Konto"),
    "payments.default_account": ("(the payment account)", "(betalingskontoen)"),
    "payments.fee_account": ("Account for payment fees", "Konto til betalingsgebyrer"),
    "payments.fee_account_help": (
        "When the shop reports what the payment provider kept, it is booked here with the "
        "payment. Empty: Billy's default account for bank fees.",
        "Når butikken oplyser, hvad betalingsudbyderen beholdt, bogføres det her sammen med "
        "betalingen. Tom: Billys standardkonto for bankgebyrer.",
    ),
    "payments.email_invoices": (
        "Have Billy e-mail each new invoice to the customer",
        "Lad Billy sende hver ny faktura til kunden på e-mail",
    ),
    "payments.email_invoices_help": (
        "Once per invoice, in the customer's language, to the e-mail address on the order.",
        "Én gang pr. faktura, på kundens sprog, til e-mailadressen på ordren.",
    ),
    "payments.save": ("Save payments", "Gem betalinger"),
    "payments.saved": ("Payment settings saved.", "Betalingsindstillingerne er gemt."),
    "payments.need_lists": (
        "Save a working Billy API key first: the accounts are read from Billy.",
        "Gem først en API-nøgle til Billy, der virker: kontiene læses fra Billy.",
    ),
    "payments.unknown_payment_account": (
        "An account chosen for a payment method does not take payments in Billy: choose another.",
        "En konto valgt til en betalingsmetode kan ikke modtage betalinger i Billy: vælg en anden.",
    ),
    "payments.unknown_fee_account": (
        "The fee account is not an expense account in Billy: choose another.",
        "Gebyrkontoen er ikke en udgiftskonto i Billy: vælg en anden.",
    ),
}
