import sys

from bench.pages import main

sys.exit(main())
