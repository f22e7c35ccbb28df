"""claimdesk on Apache Spark: a manifest of WARC files in, Parquet tables out.

    job.py       the job (``claimdesk spark analyze MANIFEST OUTPUT``): read, count chrome, clean and analyse, write
    manifest.py  the manifest, and opening a WARC on an executor (local, hdfs://, s3a://, https://)
    models.py    the analysis models, once per executor Python process
    schema.py    the Parquet tables, and the Analysis a row holds (what ``claimdesk load`` stores)
    submit.py    the file to give spark-submit

pyspark is optional (``pip install 'claimdesk[spark]'``); ``load`` needs pyarrow only.
"""
