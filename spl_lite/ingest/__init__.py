"""spl-lite ingest: loaded events written as a Parquet dataset for the SQL engines (parquet),
read on every core (workers). Above the store and the SQL dialects it renders with."""
