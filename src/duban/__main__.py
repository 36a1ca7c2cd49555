"""python -m duban -> the duban command."""
from .cli import main

main()
