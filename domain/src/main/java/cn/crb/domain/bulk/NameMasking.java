package cn.crb.domain.bulk;

import java.util.Set;

/**
 * Masks a person's name for sending: the surname is kept and every other character becomes {@code *}
 * ({@code 张三 → 张*}, {@code 欧阳修文 → 欧阳**}). Known two-character (compound) surnames are kept whole when the
 * name is longer than the surname; a name of one character becomes {@code *}. Counts Unicode code points, so
 * characters outside the BMP are one character.
 */
public final class NameMasking {
    private static final Set<String> COMPOUND_SURNAMES = Set.of(
            "欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "尉迟", "公孙", "慕容", "长孙", "宇文", "司徒", "夏侯",
            "轩辕", "令狐", "端木", "西门", "南宫", "独孤", "澹台", "公冶", "太史", "申屠", "闻人", "呼延", "百里",
            "东郭", "万俟", "钟离", "赫连", "司空", "濮阳", "淳于", "单于", "拓跋", "第五", "左丘", "谷梁", "仲孙");

    private NameMasking() {}

    public static String mask(String name) {
        String s = name == null ? "" : name.strip();
        if (s.length() == s.codePointCount(0, s.length())) {
            // no character outside the BMP (every name seen in practice): one char per character, no code point array
            if (s.isEmpty()) return "";
            if (s.length() == 1) return "*";
            int keep = s.length() > 2 && COMPOUND_SURNAMES.contains(s.substring(0, 2)) ? 2 : 1;
            return s.substring(0, keep) + "*".repeat(s.length() - keep);
        }
        int[] cps = s.codePoints().toArray();
        if (cps.length == 0) return "";
        if (cps.length == 1) return "*";
        int keep = cps.length > 2 && COMPOUND_SURNAMES.contains(new String(cps, 0, 2)) ? 2 : 1;
        return new String(cps, 0, keep) + "*".repeat(cps.length - keep);
    }
}
