"""Tasks -> suggested lead and co-responsible departments (the ledger issue builds this)."""
