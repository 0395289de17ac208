package cn.crb.sim;

import java.sql.SQLException;

/** The simulator's tables (created if absent; the simulator has no migrations beyond this first schema). */
final class Schema {
    private Schema() {}

    static void create(Tx tx) throws SQLException {
        tx.exec("""
            CREATE TABLE IF NOT EXISTS meta (k VARCHAR(64) PRIMARY KEY, v CHARACTER LARGE OBJECT NOT NULL);
            CREATE TABLE IF NOT EXISTS person (
              person_id VARCHAR(32) PRIMARY KEY, display_name VARCHAR(100) NOT NULL, roles VARCHAR(200) NOT NULL,
              institution VARCHAR(32), demo_order INT, created_at TIMESTAMP WITH TIME ZONE NOT NULL);
            CREATE TABLE IF NOT EXISTS enrolment_code (
              code VARCHAR(40) PRIMARY KEY, person_id VARCHAR(32) NOT NULL REFERENCES person,
              issued_at TIMESTAMP WITH TIME ZONE NOT NULL, expires_at TIMESTAMP WITH TIME ZONE NOT NULL,
              used_at TIMESTAMP WITH TIME ZONE, used_by_key VARCHAR(64));
            CREATE TABLE IF NOT EXISTS person_key (
              key_id VARCHAR(64) PRIMARY KEY, person_id VARCHAR(32) NOT NULL REFERENCES person,
              public_key_pem VARCHAR(1000) NOT NULL, device_name VARCHAR(200) NOT NULL,
              enrolled_at TIMESTAMP WITH TIME ZONE NOT NULL);
            CREATE TABLE IF NOT EXISTS token (
              token_sm3 VARCHAR(64) PRIMARY KEY, person_id VARCHAR(32) NOT NULL REFERENCES person,
              key_id VARCHAR(64) NOT NULL, issued_at TIMESTAMP WITH TIME ZONE NOT NULL);
            CREATE TABLE IF NOT EXISTS standards (
              version VARCHAR(32) PRIMARY KEY, effective_from DATE NOT NULL, sm3 VARCHAR(64) NOT NULL,
              payload_sm3 VARCHAR(64) NOT NULL, envelope CHARACTER LARGE OBJECT NOT NULL);
            CREATE TABLE IF NOT EXISTS case_doc (
              case_id VARCHAR(40) PRIMARY KEY, revision INT NOT NULL, step VARCHAR(20) NOT NULL,
              withdrawn BOOLEAN DEFAULT FALSE NOT NULL, doc CHARACTER LARGE OBJECT NOT NULL);
            CREATE TABLE IF NOT EXISTS case_assignee (
              case_id VARCHAR(40) NOT NULL, person_id VARCHAR(32) NOT NULL, PRIMARY KEY (case_id, person_id));
            CREATE TABLE IF NOT EXISTS case_audience (
              case_id VARCHAR(40) NOT NULL, person_id VARCHAR(32) NOT NULL, PRIMARY KEY (case_id, person_id));
            CREATE TABLE IF NOT EXISTS feed (
              seq BIGINT AUTO_INCREMENT PRIMARY KEY, person_id VARCHAR(32) NOT NULL, case_id VARCHAR(40) NOT NULL,
              kind VARCHAR(10) NOT NULL);
            CREATE INDEX IF NOT EXISTS feed_person_case ON feed (person_id, case_id, seq);
            CREATE INDEX IF NOT EXISTS feed_person_seq ON feed (person_id, seq);
            CREATE TABLE IF NOT EXISTS arbitration (
              arbitration_id VARCHAR(40) PRIMARY KEY, case_id VARCHAR(40) NOT NULL, state VARCHAR(10) NOT NULL,
              doc CHARACTER LARGE OBJECT NOT NULL);
            CREATE TABLE IF NOT EXISTS arbitration_member (
              arbitration_id VARCHAR(40) NOT NULL, person_id VARCHAR(32) NOT NULL, chair BOOLEAN NOT NULL,
              PRIMARY KEY (arbitration_id, person_id));
            CREATE TABLE IF NOT EXISTS evidence (
              sm3 VARCHAR(64) PRIMARY KEY, name VARCHAR(200) NOT NULL, content_type VARCHAR(100) NOT NULL,
              bytes VARBINARY(10000000) NOT NULL);
            CREATE TABLE IF NOT EXISTS envelope (
              sm3 VARCHAR(64) PRIMARY KEY, type VARCHAR(64) NOT NULL, submitted_by VARCHAR(32) NOT NULL,
              log_index BIGINT NOT NULL, accepted_at TIMESTAMP WITH TIME ZONE NOT NULL,
              json CHARACTER VARYING(1000000) NOT NULL, receipt CHARACTER VARYING(1000000) NOT NULL);
            CREATE TABLE IF NOT EXISTS log_leaf (idx BIGINT PRIMARY KEY, leaf_hash VARBINARY(32) NOT NULL, envelope_sm3 VARCHAR(64) NOT NULL);
            CREATE TABLE IF NOT EXISTS tree_head (tree_size BIGINT PRIMARY KEY, root_hash VARCHAR(64) NOT NULL, envelope CHARACTER LARGE OBJECT NOT NULL);
            CREATE TABLE IF NOT EXISTS batch (
              batch_id VARCHAR(64) PRIMARY KEY, person_id VARCHAR(32) NOT NULL, institution VARCHAR(32) NOT NULL,
              row_count INT NOT NULL, chunk_size INT NOT NULL, file_sm3 VARCHAR(64) NOT NULL,
              key_envelope CHARACTER LARGE OBJECT NOT NULL, state VARCHAR(12) NOT NULL, result CHARACTER LARGE OBJECT);
            CREATE TABLE IF NOT EXISTS batch_chunk (
              batch_id VARCHAR(64) NOT NULL, n INT NOT NULL, sm3 VARCHAR(64) NOT NULL, row_count INT NOT NULL,
              rows CHARACTER LARGE OBJECT NOT NULL, PRIMARY KEY (batch_id, n));
            CREATE TABLE IF NOT EXISTS account_outcome (
              id_digest VARCHAR(64) NOT NULL, catalogue_code VARCHAR(40) NOT NULL, achieved_on VARCHAR(10) NOT NULL,
              certificate_code VARCHAR(64) NOT NULL, batch_id VARCHAR(64) NOT NULL,
              PRIMARY KEY (id_digest, catalogue_code, achieved_on, certificate_code));
            CREATE TABLE IF NOT EXISTS idempotency (
              person_id VARCHAR(32) NOT NULL, idem_key VARCHAR(200) NOT NULL, request_sm3 VARCHAR(64) NOT NULL,
              response CHARACTER LARGE OBJECT NOT NULL, PRIMARY KEY (person_id, idem_key));
            """);
    }
}
