import sys

from bench.catalog_sync import main

sys.exit(main(sys.argv[1:]))
