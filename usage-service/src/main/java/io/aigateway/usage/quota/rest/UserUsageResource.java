package io.aigateway.usage.quota.rest;

import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.aigateway.contracts.error.ApiError;
import io.aigateway.contracts.quota.QuotaKeys.Window;
import io.aigateway.support.security.ServiceRoles;
import io.aigateway.usage.quota.repository.UsageSummaryRepository;
import io.aigateway.usage.quota.service.LimitRow;
import io.aigateway.usage.quota.service.QuotaService;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;

import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * A user's own usage and quota, for the public {@code GET /api/v1/ai/usage}: the edge calls it with the caller's
 * own user id (it never lets a caller name another user). Limits come from the live Redis counters; totals from
 * PostgreSQL.
 */
@RolesAllowed({ServiceRoles.EDGE, ServiceRoles.ADMIN, ServiceRoles.OPS})
@Path("/internal/v1/quotas/users/{userId}/usage")
@Produces(MediaType.APPLICATION_JSON)
public class UserUsageResource {

    /** Longest {@code from}–{@code to} range in days. */
    static final int MAX_DAYS = 366;

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record UserUsage(String userId, String keyId, String tier, List<LimitRow> limits,
                            UsageSummaryRepository.Totals today, UsageSummaryRepository.Totals month,
                            List<UsageSummaryRepository.ModelUsage> byModel, List<UsageSummaryRepository.Day> days) {
    }

    private final QuotaService quotas;
    private final UsageSummaryRepository summaries;

    public UserUsageResource(QuotaService quotas, UsageSummaryRepository summaries) {
        this.quotas = quotas;
        this.summaries = summaries;
    }

    @Operation(summary = "A user's usage against their limits",
                description = "What the edge serves as GET /api/v1/ai/usage. Callers: edge, admin, ops "
                        + "(X-Aigw-Internal-Token).")
    @APIResponse(responseCode = "200", description = "OK",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = UserUsage.class)))
    @APIResponse(responseCode = "400", description = "Bad input (OpenAI envelope; param names the field).")
    @GET
    public Uni<UserUsage> usage(@RestPath String userId, @RestQuery String keyId, @RestQuery String from,
                                @RestQuery String to) {
        String user = QuotaResource.id(userId, "userId");
        String key = keyId == null || keyId.isBlank() ? null : QuotaResource.id(keyId, "keyId");
        LocalDate[] range = range(from, to);
        Instant now = Instant.now();
        Instant monthStart = Window.MONTH.start(now);
        return quotas.user(user).onItem().transformToUni(quota -> summaries
                .todayAndMonth(user, key, monthStart, Window.DAY.start(now))
                .onItem().transformToUni(totals -> summaries.byModel(user, key, monthStart)
                        .onItem().transformToUni(models -> (range == null ? Uni.createFrom().<List<UsageSummaryRepository.Day>>nullItem()
                                : summaries.days(user, key, range[0], range[1]))
                                .map(days -> new UserUsage(user, key, quota.tier(), quota.limits(), totals.today(),
                                        totals.month(), models, days)))));
    }

    /** Both or neither; yyyy-MM-dd, {@code to} inclusive, from ≤ to, at most {@link #MAX_DAYS} days. */
    static LocalDate[] range(String from, String to) {
        boolean hasFrom = from != null && !from.isBlank();
        boolean hasTo = to != null && !to.isBlank();
        if (!hasFrom && !hasTo) {
            return null;
        }
        if (!hasFrom || !hasTo) {
            throw ApiError.badRequest("Give both 'from' and 'to' (yyyy-MM-dd), or neither.", hasFrom ? "to" : "from")
                    .exception();
        }
        LocalDate f = date(from, "from");
        LocalDate t = date(to, "to");
        if (t.isBefore(f)) {
            throw ApiError.badRequest("'from' must not be after 'to'.", "from").exception();
        }
        if (ChronoUnit.DAYS.between(f, t) + 1 > MAX_DAYS) {
            throw ApiError.badRequest("At most " + MAX_DAYS + " days from 'from' to 'to'.", "to").exception();
        }
        return new LocalDate[] {f, t};
    }

    private static LocalDate date(String value, String param) {
        try {
            return LocalDate.parse(value.trim());
        } catch (DateTimeParseException e) {
            throw ApiError.badRequest("'" + param + "' must be a date yyyy-MM-dd.", param).exception();
        }
    }
}
