package cn.crb.domain.bulk;

import cn.crb.domain.Examples;
import cn.crb.domain.standards.StandardsBundle;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Helpers shared by the bulk tests: a fixed clock, the example bundle, files written in a chosen encoding, a collecting sink. */
final class BulkTestFiles {
    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-25T04:00:00Z"), ZoneId.of("Asia/Shanghai"));
    static final StandardsBundle BUNDLE = Examples.standards();
    static final String HEADER_EN = "id_number,name,category,catalogue_code,title,course_type,hours,score,certificate_code,level,authority_certified,scenario,achieved_on,expires_on,quality_grade,evidence";
    static final String HEADER_ZH = "身份证号,姓名,成果类别,成果编码,成果名称,课程类型,学时,成绩,证书编码,等级,行业权威认证,学习场景,取得日期,有效期至,质量等级,佐证材料";

    private BulkTestFiles() {}

    /** A valid ID with the given 17 leading digits (check character computed). */
    static String id(String first17) { return first17 + ResidentId.checkCharacter(first17); }

    static String id(int n) { return id(String.format("3201021990%02d%02d%03d", 1 + n % 12, 1 + n % 28, n % 1000)); }

    static Path write(Path dir, String name, String text, Charset cs, byte[] bom) {
        try {
            Path p = dir.resolve(name);
            byte[] body = text.getBytes(cs);
            byte[] all = new byte[bom.length + body.length];
            System.arraycopy(bom, 0, all, 0, bom.length);
            System.arraycopy(body, 0, all, bom.length, body.length);
            Files.write(p, all);
            return p;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Path utf8(Path dir, String name, String text) { return write(dir, name, text, Charset.forName("UTF-8"), new byte[0]); }

    static BulkImporter importer(Locale locale, EvidenceSource evidence) {
        Messages m = Messages.of(locale);
        return new BulkImporter(new RowValidator(BUNDLE, CLOCK, evidence, m, ReadLimits.DEFAULT.maxFieldChars()), m);
    }

    /** Runs an import with a collecting sink. */
    static Collected run(Path file, ReadOptions options, Locale locale) throws Exception {
        Messages m = Messages.of(locale);
        FileFacts facts = EncodingDetector.inspect(file, options.limits(), m);
        Collected c = new Collected();
        c.summary = importer(locale, EvidenceSource.none()).run(facts, options, c, ImportProgress.NONE, () -> false);
        return c;
    }

    static Collected run(Path file) throws Exception { return run(file, ReadOptions.DEFAULT, Locale.SIMPLIFIED_CHINESE); }

    /** Collects everything an import pushes. */
    static final class Collected implements ImportSink {
        final List<BulkRow> accepted = new ArrayList<>();
        final List<RawRow> rejected = new ArrayList<>();
        final List<Problem> problems = new ArrayList<>();
        ImportSummary summary;

        @Override
        public void header(HeaderMap header) { problems.addAll(header.problems()); }

        @Override
        public void accepted(BulkRow row) { accepted.add(row); }

        @Override
        public void rejected(RawRow row, List<Problem> p) {
            rejected.add(row);
            problems.addAll(p);
        }

        List<ProblemCode> codes() { return problems.stream().map(Problem::code).toList(); }
    }
}
