"""Status from target, actual value and time; cross-year fulfilment (later issues build this)."""
