package cn.crb.app.arbitration;

import cn.crb.domain.arbitration.ArbitrationDocuments;
import cn.crb.domain.arbitration.ArbitrationSession;
import cn.crb.localdb.ArbitrationRepository.Event;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

/**
 * The minutes of a session, as signed in the result: every recusal, declared conflict, vote (with its reason and the
 * SM3 of the signed vote), new round and the outcome, in order, then the chair's notes. Written in Chinese, the
 * platform's language of record, with Beijing time.
 */
final class Minutes {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").withZone(ZoneId.of("Asia/Shanghai"));

    private Minutes() {}

    static String text(ArbitrationService.View v, String notes, Instant closedAt) {
        StringBuilder b = new StringBuilder();
        b.append("仲裁 ").append(v.arbitrationId()).append("（案件 ").append(v.caseId()).append("）会议记录\n");
        b.append("异议理由：").append(v.caseDocument().path("arbitration").path("objection").path("grounds").asText("—")).append('\n');
        b.append("专家组：");
        for (int i = 0; i < v.panel().size(); i++) {
            var m = v.panel().get(i).member();
            b.append(i == 0 ? "" : "、").append(m.displayName()).append(m.institution() == null ? "" : "（" + m.institution() + "）")
                    .append(m.chair() ? "[组长]" : "");
        }
        b.append('\n');
        v.recusals().forEach((id, why) -> {
            if (why == ArbitrationService.Recusal.INSTITUTION) b.append("回避：").append(name(v, id)).append("，所在机构与本案有关（成果颁发机构或接收机构）\n");
        });
        for (Event e : v.events()) {
            b.append(TIME.format(e.at())).append(' ');
            switch (e.kind()) {
                case CONFLICT_DECLARED -> b.append(name(v, e.memberId())).append(" 声明利益冲突并回避：").append(e.detail().path("reason").asText("")).append('\n');
                case VOTE -> b.append("第").append(e.round()).append("轮 ").append(name(v, e.memberId())).append(" 投票 ")
                        .append(position(e.envelope().payload().path("position").asText())).append("，理由：")
                        .append(e.envelope().payload().path("reason").asText("")).append("（签名文件 SM3 ").append(e.envelope().sm3(), 0, 16).append("…）\n");
                case REVOTE -> b.append("进入第").append(e.round()).append("轮投票（").append("TIE_WITHOUT_CHAIR".equals(e.detail().path("why").asText())
                        ? "票数相同且组长未投其中任一立场" : "修改意见不一致").append("）\n");
                case CLOSED -> { }
            }
        }
        if (v.result() instanceof ArbitrationSession.Decided d) {
            b.append("结果：").append(position(d.position().name())).append(d.byChair() ? "（票数相同，由组长裁决）" : "")
                    .append("，有效票 ").append(v.votesThisRound().size()).append(" 张，法定人数 ").append(v.session().quorum()).append('\n');
        }
        b.append("结束时间：").append(TIME.format(closedAt)).append('\n');
        if (notes != null && !notes.isBlank()) b.append("组长记录：\n").append(notes.strip()).append('\n');
        return b.toString();
    }

    private static String name(ArbitrationService.View v, String memberId) {
        return v.member(memberId).map(ArbitrationDocuments.Member::member).map(m -> m.displayName()).orElse(memberId);
    }

    private static String position(String p) {
        return switch (p) {
            case "UPHOLD" -> "维持";
            case "AMEND" -> "变更";
            case "OVERTURN" -> "撤销";
            default -> p;
        };
    }
}
