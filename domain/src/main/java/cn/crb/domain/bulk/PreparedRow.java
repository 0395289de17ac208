package cn.crb.domain.bulk;

import java.time.LocalDate;

/**
 * A row ready to send: its row number, its identity on the platform (idDigest, catalogueCode, achievedOn,
 * certificateCode — empty when none, as the platform compares it) and its JSON as sent, which holds no raw ID or
 * name. Stored as is, so that a resumed upload sends byte-identical chunks.
 */
public record PreparedRow(long rowNumber, String idDigest, String catalogueCode, LocalDate achievedOn, String certificateCode, String json) {}
