package cn.crb.domain.arbitration;

import cn.crb.domain.json.Json;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class ObjectionsTest {
    @ParameterizedTest(name = "{0} closed={1} arbitration={2} withdrawn={3} closedHere={4} queued={5} -> {6}")
    @CsvSource({
            "PUBLIC_NOTICE, ,         ,      false, false, false, ",
            "REVIEW,        REJECTED, ,      false, false, false, ",
            "REVIEW,        ,         ,      false, false, false, WRONG_STEP",
            "ARCHIVE,       ,         ,      false, false, false, WRONG_STEP",
            "CONVERSION,    DECLINED, ,      false, false, false, WRONG_STEP",
            "PUBLIC_NOTICE, ,         OPEN,  false, false, false, ARBITRATION_OPEN",
            "ARCHIVE,       ,         FINAL, false, false, false, ARBITRATION_FINAL",
            "PUBLIC_NOTICE, ,         OPEN,  false, true,  false, ARBITRATION_FINAL",
            "PUBLIC_NOTICE, ,         ,      true,  false, false, WITHDRAWN",
            "PUBLIC_NOTICE, ,         ,      false, false, true,  ALREADY_RAISED",
    })
    void whenAnObjectionMayBeRaised(String step, String closedReason, String arbitration, boolean withdrawn, boolean closedHere, boolean queued,
                                    Objections.Refusal expected) {
        ObjectNode doc = Json.object().put("step", step);
        if (closedReason != null) doc.put("closed", true).put("closedReason", closedReason);
        if (arbitration != null) doc.putObject("arbitration").put("arbitrationId", "A-1").put("state", arbitration);
        assertThat(Objections.refusal(doc, withdrawn, closedHere, queued)).isEqualTo(Optional.ofNullable(expected));
    }
}
