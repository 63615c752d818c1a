package io.aigateway.usage.providerhealth.rest;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.List;

/** {@code {"rows":[...],"nextCursor": string|null}}: one page, newest first; no next cursor on the last page. */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record HistoryPage<T>(List<T> rows, String nextCursor) {
}
