package io.aigateway.admin.providers.rest;

import jakarta.annotation.security.RolesAllowed;
import io.aigateway.admin.keys.service.Roles;

import io.aigateway.admin.providers.client.AdapterClient;
import io.aigateway.contracts.catalog.ProviderInfo;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import java.util.List;

/** Providers as adapter-service sees them (catalog + health); admin role required (@RolesAllowed). */
@RolesAllowed(Roles.ADMIN)
@Path("/api/v1/ai/admin/providers")
@Produces(MediaType.APPLICATION_JSON)
public class AdminProviderResource {

    private final AdapterClient adapter;

    public AdminProviderResource(AdapterClient adapter) {
        this.adapter = adapter;
    }

    @GET
    public Uni<List<ProviderInfo>> list() {
        return adapter.providers();
    }
}
