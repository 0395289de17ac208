-- Evidence files of cached cases, fetched by SM3 (contract 04). Bytes arrive in chunks (EVIDENCE_PART, so a dropped
-- download resumes where it stopped); once the whole file's SM3 equals its address it moves to EVIDENCE, and only
-- EVIDENCE is ever shown.
CREATE TABLE EVIDENCE_PART (
  SM3 CHAR(64) NOT NULL,
  OFFSET_BYTES BIGINT NOT NULL,
  BYTES VARBINARY(1048576) NOT NULL,
  PRIMARY KEY (SM3, OFFSET_BYTES)
);

CREATE TABLE EVIDENCE (
  SM3 CHAR(64) PRIMARY KEY,
  MEDIA_TYPE VARCHAR(100) NOT NULL,
  BYTES BLOB NOT NULL,
  STORED_AT TIMESTAMP WITH TIME ZONE NOT NULL
);
