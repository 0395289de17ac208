package cn.crb.sync;

import cn.crb.domain.crypto.Envelope;

import java.util.List;

/** What the platform answered to an enrolment, already checked: the profile envelope verifies against the platform key. */
public record Enrolment(String personId, String displayName, List<String> roles, String institution, String token,
                        String platformPublicKeyPem, String platformKeyId, Envelope profile) {
    public Enrolment {
        roles = List.copyOf(roles);
    }

    @Override
    public String toString() { // never print the token
        return "Enrolment[" + personId + ", " + displayName + ", " + roles + ", " + institution + "]";
    }
}
