package io.aigateway.contracts.quota;

/**
 * One admitted request's share of a quota reservation, as the edge hands it to routing-service in
 * {@code X-Aigw-Quota-Reservation}: {@code <reservation id>#<slot>#<estimated tokens>#<estimated nano-USD>}. The slot
 * is 1 for a reservation of one request and 1..n in a lease of n (reserve.lua); the estimates are what the slot holds
 * and what settle.lua releases when it charges the request's actual usage.
 */
public record QuotaSlot(String reservation, int slot, long tokens, long nanoUsd) {

    public QuotaSlot {
        if (reservation == null || reservation.isEmpty() || reservation.indexOf('#') >= 0) {
            throw new IllegalArgumentException("reservation id");
        }
        if (slot < 1 || tokens < 0 || nanoUsd < 0) {
            throw new IllegalArgumentException("slot and estimates");
        }
    }

    public String header() {
        return reservation + '#' + slot + '#' + tokens + '#' + nanoUsd;
    }

    /** The slot a header names, or null when the header is absent or not in this form. */
    public static QuotaSlot parse(String header) {
        if (header == null) {
            return null;
        }
        String[] p = header.split("#", -1);
        if (p.length != 4) {
            return null;
        }
        try {
            return new QuotaSlot(p[0], Integer.parseInt(p[1]), Long.parseLong(p[2]), Long.parseLong(p[3]));
        } catch (IllegalArgumentException e) { // NumberFormatException included
            return null;
        }
    }

    /** settle.lua's 8 arguments of this slot: release its estimate, charge the given usage. */
    public String[] settleArgs(long requests, long chargedTokens, long chargedNanoUsd) {
        return new String[] {reservation, Integer.toString(slot), "1", Long.toString(tokens), Long.toString(nanoUsd),
                Long.toString(requests), Long.toString(chargedTokens), Long.toString(chargedNanoUsd)};
    }

    /** settle.lua's 8 arguments closing lease {@code reservation}: release what was not given out. */
    public static String[] closeArgs(String reservation, long requests, long tokens, long nanoUsd) {
        return new String[] {reservation, "c", Long.toString(requests), Long.toString(tokens), Long.toString(nanoUsd),
                "0", "0", "0"};
    }
}
