"""The application file for spark-submit: the same command as ``claimdesk spark analyze``.

    spark-submit --master yarn ... "$(python -c 'import claimdesk.spark.submit as s; print(s.__file__)')" \
        MANIFEST OUTPUT [--per-partition N]

spark-submit has made the SparkSession's configuration (master, executors, shipped
archives); the job takes it as it is.
"""

from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> None:
    from claimdesk.cli import app

    app(args=["spark", "analyze", *(sys.argv[1:] if argv is None else argv)], prog_name="claimdesk")


if __name__ == "__main__":
    main()
