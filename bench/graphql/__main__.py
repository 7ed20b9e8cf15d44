import sys

from bench.graphql import main

sys.exit(main())
