package io.aigateway.admin.keys.service;

import java.util.Set;

/** Roles a key can carry. */
public final class Roles {

    public static final String USER = "user";
    public static final String ADMIN = "admin";
    public static final Set<String> KNOWN = Set.of(USER, ADMIN);

    private Roles() {
    }
}
