-- Virtuoso for the MC2CM graph: the accounts, run once as dba after the first start:
--   isql-vt 1111 dba dba setup.sql -i 'PUBLISHER-PASSWORD' 'NEW-DBA-PASSWORD'
-- (isql puts the arguments after -i in $ARGV[6] and $ARGV[7].)

-- The user `mc2cm-graph publish` logs in as (HTTP Digest, /sparql-graph-crud-auth): it
-- may change RDF graphs (the SPARQL_UPDATE role) and is not dba. Virtuoso's Digest login
-- there needs an SQL-enabled account, so keep the isql port (1111) on 127.0.0.1.
DB.DBA.USER_CREATE ('mc2cm_publisher', '$ARGV[6]');
GRANT SPARQL_UPDATE TO "mc2cm_publisher";

-- The default dba password is public knowledge: replace it.
USER_SET_PASSWORD ('dba', '$ARGV[7]');

-- The public /sparql endpoint runs as the user SPARQL, which Virtuoso 7 gives the
-- SPARQL_SELECT role only: read-only. Grant it nothing more (never SPARQL_UPDATE).
