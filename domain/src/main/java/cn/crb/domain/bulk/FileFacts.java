package cn.crb.domain.bulk;

import java.nio.file.Path;

/**
 * What one pass over a file found before reading it: its format, size, SM3 (the file's identity for re-import
 * detection) and, for CSV, the detected encoding and whether that encoding decodes the whole file strictly.
 */
public record FileFacts(Path file, FileFormat format, long size, String sm3, TextEncoding detectedEncoding, boolean encodingStrict) {}
