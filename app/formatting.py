"""Money and dates for people: through QLocale, with currency symbols where they are known."""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtCore import QLocale

# QLocale knows the symbol of a locale's own currency only; these cover the platform's usual ones.
_SYMBOLS = {"EUR": "€", "USD": "$", "GBP": "£", "JPY": "¥", "INR": "₹", "NGN": "₦", "XOF": "F CFA",
            "XAF": "F CFA", "MAD": "DH", "KES": "KSh", "BRL": "R$", "PHP": "₱"}  # fmt: skip


def money(amount: Decimal | float, currency: str, locale: QLocale | None = None) -> str:
    """``0.06`` and ``EUR`` → ``€0.06`` in English, ``0,06 €`` in French."""
    locale = locale or QLocale()
    if locale.currencySymbol(QLocale.CurrencySymbolFormat.CurrencyIsoCode) == currency:
        symbol = locale.currencySymbol(QLocale.CurrencySymbolFormat.CurrencySymbol)
    else:
        symbol = _SYMBOLS.get(currency, currency)
    return locale.toCurrencyString(float(amount), symbol, 2)
