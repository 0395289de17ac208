package cn.crb.domain.bulk;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import static cn.crb.domain.bulk.BulkTestFiles.HEADER_EN;
import static cn.crb.domain.bulk.BulkTestFiles.id;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

class BulkMessagesTest {
    @TempDir
    Path dir;

    @Test
    void everyCodeHasAChineseAndAnEnglishMessageRegardlessOfTheDefaultLocale() {
        Locale saved = Locale.getDefault();
        try {
            Locale.setDefault(Locale.GERMANY);
            Messages zh = Messages.of(Locale.SIMPLIFIED_CHINESE);
            Messages en = Messages.of(Locale.ENGLISH);
            for (ProblemCode c : ProblemCode.values()) {
                assertThat(zh.format(c, "x", "y", "z")).as(c.name()).isNotBlank().isNotEqualTo(en.format(c, "x", "y", "z"));
                assertThat(en.format(c, "x", "y", "z")).as(c.name()).isNotBlank().matches("(?s)[\\x20-\\x7E]{8}.*");
            }
            assertThat(Messages.of(Locale.FRENCH).locale()).isEqualTo(Locale.SIMPLIFIED_CHINESE);
            assertThat(en.format(ProblemCode.ID_CHECKSUM, "X")).isEqualTo("The ID number's check digit is wrong (the first 17 digits give X)");
        } finally {
            Locale.setDefault(saved);
        }
    }

    @Test
    void furtherChecksAndEvidenceFromAFolderOrAZip() throws Exception {
        Path folder = Files.createDirectories(dir.resolve("evidence/sub"));
        Files.writeString(folder.resolve("cert.pdf"), "pdf");
        Path zip = dir.resolve("ev.zip");
        try (ZipOutputStream z = new ZipOutputStream(Files.newOutputStream(zip))) {
            z.putNextEntry(new ZipEntry("a/transcript.png"));
            z.write(1);
            z.closeEntry();
        }
        EvidenceSource fromFolder = EvidenceSource.folder(dir.resolve("evidence"));
        assertThat(fromFolder.contains("sub/cert.pdf")).isTrue();
        assertThat(fromFolder.contains("../evidence/sub/cert.pdf")).isFalse();
        assertThat(EvidenceSource.zip(zip).contains("a/transcript.png")).isTrue();
        assertThat(EvidenceSource.zip(zip).contains("b.png")).isFalse();

        String rows = String.join("\n",
                /* 2 */ id(1) + ",甲,ACADEMIC,VC-WEB-FE,t,THEORY,48,80,,,,,2024-01-01,,A,sub/cert.pdf",
                /* 3 */ id(2) + ",乙,ACADEMIC,AC-ACC-101,t,LECTURE,48,80,,,maybe,,2024-01-01,,A,",
                /* 4 */ id(3) + "," + "名".repeat(51) + ",ACADEMIC,AC-ACC-101,t,THEORY,48,80,,,,,2024-01-01,,A,",
                /* 5 */ id(4) + ",丁,VOCATIONAL,VC-ELEC,t,,,,ELEC-NVQ,L4,true,,2024-01-01,2027-01-01,A,sub/cert.pdf",
                /* 6 */ id(5) + ",戊,VOCATIONAL,VC-ACC-JUNIOR,t,,,,UNLISTED-CERT,whatever,,,2024-01-01,,B,");
        Path f = BulkTestFiles.utf8(dir, "more.csv", HEADER_EN + ",name\n" + rows + "\n");
        Messages m = Messages.of(Locale.ENGLISH);
        FileFacts facts = EncodingDetector.inspect(f, ReadLimits.DEFAULT, m);
        BulkTestFiles.Collected c = new BulkTestFiles.Collected();
        BulkTestFiles.importer(Locale.ENGLISH, fromFolder).run(facts, ReadOptions.DEFAULT, c, ImportProgress.NONE, () -> false);
        assertThat(c.problems).extracting(Problem::row, Problem::columnNumber, Problem::code).containsExactlyInAnyOrder(
                tuple(1L, 17, ProblemCode.COLUMN_DUPLICATE),
                tuple(2L, 4, ProblemCode.CATEGORY_MISMATCH),
                tuple(3L, 6, ProblemCode.COURSE_TYPE_UNKNOWN),
                tuple(3L, 11, ProblemCode.BOOLEAN_INVALID),
                tuple(4L, 2, ProblemCode.FIELD_TOO_LONG));
        assertThat(c.accepted).hasSize(2);
        BulkRow elec = c.accepted.get(0);
        assertThat(elec.level()).isEqualTo("L4");
        assertThat(elec.authorityCertified()).isTrue();
        assertThat(elec.evidence()).isEqualTo("sub/cert.pdf");
        assertThat(c.accepted.get(1).level()).as("a certificate outside the equivalence table keeps its level as given").isEqualTo("whatever");
    }
}
