package dev.louie.http;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * API keys, sent as {@code Authorization: Bearer KEY} or {@code X-API-Key: KEY}, each with its
 * {@link Scope}. Only SHA-256 digests of the keys are kept; a presented key is compared with every
 * known one in constant time (no early exit), so timing tells nothing about how much of a key
 * matched. A caller's {@link Caller#name() name} is {@code key:} and the first 8 hex digits of the
 * digest: safe to log.
 *
 * <pre>{@code
 * ApiKeys.of(Map.of(System.getenv("LOUIE_KEY"), Scope.ALL, System.getenv("LOUIE_READ_KEY"), Scope.READ))
 * }</pre>
 */
public final class ApiKeys implements Authenticator {
    private final byte[][] digests;
    private final Caller[] callers;

    private ApiKeys(Map<String, Scope> keys) {
        digests = new byte[keys.size()][];
        callers = new Caller[keys.size()];
        int i = 0;
        for (Map.Entry<String, Scope> e : keys.entrySet()) {
            digests[i] = sha256(e.getKey());
            callers[i] = new Caller("key:" + HexFormat.of().formatHex(digests[i], 0, 4), e.getValue());
            i++;
        }
    }

    /**
     * The given keys with their scopes.
     *
     * @throws IllegalArgumentException when there are none, or a key is blank or holds whitespace
     */
    public static ApiKeys of(Map<String, Scope> keys) {
        if (keys == null || keys.isEmpty()) {
            throw new IllegalArgumentException("ApiKeys: give at least one key");
        }
        Map<String, Scope> copy = new LinkedHashMap<>();
        for (Map.Entry<String, Scope> e : keys.entrySet()) {
            String key = e.getKey();
            if (key == null || key.isEmpty() || key.chars().anyMatch(Character::isWhitespace)) {
                throw new IllegalArgumentException("ApiKeys: a key must be non-empty and without whitespace");
            }
            if (e.getValue() == null) {
                throw new IllegalArgumentException("ApiKeys: every key needs a scope");
            }
            copy.put(key, e.getValue());
        }
        return new ApiKeys(copy);
    }

    /** One key with scope {@link Scope#ALL}. */
    public static ApiKeys of(String key) {
        return of(Map.of(key, Scope.ALL));
    }

    @Override
    public Optional<Caller> authenticate(RequestHead request) {
        String presented = request.header("X-API-Key").orElse(null);
        if (presented == null) {
            String auth = request.header("Authorization").orElse("");
            if (auth.length() > 7 && auth.substring(0, 7).toLowerCase(Locale.ROOT).equals("bearer ")) {
                presented = auth.substring(7).trim();
            }
        }
        if (presented == null || presented.isEmpty()) {
            return Optional.empty();
        }
        byte[] digest = sha256(presented);
        int match = -1;
        for (int i = 0; i < digests.length; i++) {
            if (MessageDigest.isEqual(digest, digests[i])) {
                match = i;
            }
        }
        return match < 0 ? Optional.empty() : Optional.of(callers[match]);
    }

    @Override
    public String challenge() {
        return "Bearer realm=\"louie\"";
    }

    private static byte[] sha256(String key) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    @Override
    public String toString() {
        return "ApiKeys[" + digests.length + " keys]";
    }
}
