-- An arbitration session held on this workstation, as the events that make it up: declared conflicts, each member's
-- signed vote, a new round after a tie without the chair or disagreeing amendments, and the chair's signed result.
-- The session's state is a fold over these rows; a CLOSED row makes it final.
CREATE TABLE ARBITRATION_EVENT (
  ARBITRATION_ID VARCHAR(64) NOT NULL,
  SEQ INT NOT NULL,
  CASE_ID VARCHAR(64) NOT NULL,
  KIND VARCHAR(24) NOT NULL,
  ROUND INT NOT NULL,
  MEMBER_ID VARCHAR(128),
  ENVELOPE_JSON CLOB,
  DETAIL_JSON CLOB,
  AT TIMESTAMP WITH TIME ZONE NOT NULL,
  PRIMARY KEY (ARBITRATION_ID, SEQ)
);

-- The chair's notes for the minutes, saved as typed.
CREATE TABLE ARBITRATION_NOTES (
  ARBITRATION_ID VARCHAR(64) PRIMARY KEY,
  NOTES CLOB NOT NULL,
  UPDATED_AT TIMESTAMP WITH TIME ZONE NOT NULL
);
