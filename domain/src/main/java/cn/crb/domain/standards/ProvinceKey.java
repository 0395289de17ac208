package cn.crb.domain.standards;

import java.security.PublicKey;

/**
 * A provincial sub-centre's SM2 encryption key vouched for by the bundle. Guarantees: {@code publicKey} was
 * parsed from {@code publicKeyPem} and {@code keyId} is its contract-01 key id. {@code matchingKey} (base64)
 * is carried as published, or null.
 */
public record ProvinceKey(String province, String keyId, String publicKeyPem, PublicKey publicKey, String matchingKey) {}
