import sys

from bench.orders import main

sys.exit(main())
