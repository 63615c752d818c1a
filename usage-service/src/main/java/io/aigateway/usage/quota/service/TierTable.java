package io.aigateway.usage.quota.service;

import io.aigateway.contracts.quota.QuotaLimits;
import io.aigateway.usage.quota.repository.QuotaRepository;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The tiers as read at one moment, and how a user's effective limits follow from them: the user's tier (the
 * default tier when the user has no row or names none) overlaid with the user's overrides.
 */
public final class TierTable {

    private final Map<String, QuotaLimits> limits;
    private final String defaultTier;

    public TierTable(List<QuotaRepository.Tier> tiers, String defaultTier) {
        this.limits = new HashMap<>();
        tiers.forEach(t -> limits.put(t.name(), t.limits()));
        this.defaultTier = defaultTier;
    }

    public String defaultTier() {
        return defaultTier;
    }

    /** The default tier's limits; none when it does not exist (a configuration error, logged by the loader). */
    public QuotaLimits defaultLimits() {
        return limits.getOrDefault(defaultTier, QuotaLimits.NONE);
    }

    public boolean hasDefault() {
        return limits.containsKey(defaultTier);
    }

    /** The tier a user is measured by: the row's, or the default. */
    public String tierOf(QuotaRepository.UserQuota user) {
        return user == null || user.tier() == null ? defaultTier : user.tier();
    }

    public QuotaLimits effective(QuotaRepository.UserQuota user) {
        QuotaLimits base = limits.getOrDefault(tierOf(user), QuotaLimits.NONE);
        return user == null ? base : base.overlay(user.overrides());
    }
}
