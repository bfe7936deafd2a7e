"""Money and dates for people: through QLocale, with currency symbols where they are known."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from PySide6.QtCore import QCoreApplication, QLocale

from app.leases import split_duration

# QLocale knows the symbol of a locale's own currency only; these cover the platform's usual ones.
_SYMBOLS = {"EUR": "€", "USD": "$", "GBP": "£", "JPY": "¥", "INR": "₹", "NGN": "₦", "XOF": "F CFA",
            "XAF": "F CFA", "MAD": "DH", "KES": "KSh", "BRL": "R$", "PHP": "₱"}  # fmt: skip


def money(amount: Decimal | float, currency: str, locale: QLocale | None = None) -> str:
    """``0.06`` and ``EUR`` → ``€0.06`` in English, ``0,06 €`` in French."""
    locale = locale or QLocale()
    if not currency:  # not known yet (no ledger entry): the amount alone, not the locale's own
        return locale.toString(float(amount), "f", 2)
    if locale.currencySymbol(QLocale.CurrencySymbolFormat.CurrencyIsoCode) == currency:
        symbol = locale.currencySymbol(QLocale.CurrencySymbolFormat.CurrencySymbol)
    else:
        symbol = _SYMBOLS.get(currency, currency)
    return locale.toCurrencyString(float(amount), symbol, 2)


def duration_text(left: timedelta) -> str:
    """``2 d 4 h``, ``3 h 12 min``, ``8 min`` in the contributor's language (at least a
    minute; ``app.leases.left_text`` is the Qt-free English twin)."""
    translate = QCoreApplication.translate
    days, hours, minutes = split_duration(left)
    if days:
        text = translate("formatting", "%1 d %2 h").replace("%1", str(days))
        return text.replace("%2", str(hours))
    if hours:
        text = translate("formatting", "%1 h %2 min").replace("%1", str(hours))
        return text.replace("%2", str(minutes))
    return translate("formatting", "%1 min").replace("%1", str(minutes))
