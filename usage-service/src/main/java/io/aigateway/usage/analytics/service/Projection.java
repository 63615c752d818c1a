package io.aigateway.usage.analytics.service;

import com.fasterxml.jackson.annotation.JsonFormat;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;

/**
 * Month-end cost projection: the average daily cost of the trailing 7 full UTC days (the 7 days before today) times
 * the days left in the UTC month counting the rest of today (fractional, to the second), plus the cost of the month
 * so far. Money values are strings ({@link Money#format}).
 */
@JsonPropertyOrder({"method", "asOf", "monthStart", "monthEnd", "monthToDateUsd", "trailingDays", "trailingFrom",
        "trailingTo", "trailingCostUsd", "dailyAverageUsd", "remainingDays", "projectedMonthEndUsd"})
public record Projection(String method, Instant asOf, Instant monthStart, Instant monthEnd, String monthToDateUsd,
                         int trailingDays, Instant trailingFrom, Instant trailingTo, String trailingCostUsd,
                         String dailyAverageUsd,
                         @JsonFormat(shape = JsonFormat.Shape.NUMBER) BigDecimal remainingDays,
                         String projectedMonthEndUsd) {

    public static final String METHOD = "trailing 7-day daily average × days left in the month + month to date";
    public static final int TRAILING_DAYS = 7;
    private static final BigDecimal SECONDS_PER_DAY = BigDecimal.valueOf(86_400);

    /** The windows a projection at {@code asOf} needs. Month end is exclusive (the next month's first instant). */
    public record Windows(Instant asOf, Instant monthStart, Instant monthEnd, Instant trailingFrom, Instant trailingTo) {
        public static Windows at(Instant asOf) {
            LocalDate today = LocalDate.ofInstant(asOf, ZoneOffset.UTC);
            LocalDate first = today.withDayOfMonth(1);
            Instant todayStart = today.atStartOfDay(ZoneOffset.UTC).toInstant();
            return new Windows(asOf, first.atStartOfDay(ZoneOffset.UTC).toInstant(),
                    first.plusMonths(1).atStartOfDay(ZoneOffset.UTC).toInstant(),
                    todayStart.minus(TRAILING_DAYS, ChronoUnit.DAYS), todayStart);
        }
    }

    public static Projection compute(Windows w, BigDecimal monthToDate, BigDecimal trailingCost) {
        BigDecimal daily = Money.round(trailingCost.divide(BigDecimal.valueOf(TRAILING_DAYS), 20, RoundingMode.HALF_UP));
        long secondsLeft = Duration.between(w.asOf(), w.monthEnd()).getSeconds();
        BigDecimal remaining = BigDecimal.valueOf(Math.max(0, secondsLeft))
                .divide(SECONDS_PER_DAY, 6, RoundingMode.HALF_UP);
        BigDecimal projected = Money.round(monthToDate.add(daily.multiply(remaining)));
        return new Projection(METHOD, w.asOf(), w.monthStart(), w.monthEnd(), Money.format(monthToDate),
                TRAILING_DAYS, w.trailingFrom(), w.trailingTo(), Money.format(trailingCost), Money.format(daily),
                remaining, Money.format(projected));
    }
}
