package io.tollgate.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tollgate.config.ConfigException;
import io.tollgate.config.Names;
import io.tollgate.error.ErrorType;
import io.tollgate.error.GatewayException;
import io.tollgate.openai.Json;
import io.tollgate.persistence.PriceRecord;
import io.tollgate.persistence.PriceRepository;
import io.tollgate.sync.ChangeFeed;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.math.BigDecimal;
import java.util.Set;

/**
 * Prices in US dollars per million tokens, per model name or pattern ("gpt-4o*"): input_per_mtok,
 * cached_input_per_mtok (optional) and output_per_mtok, non-negative numbers. Prices set here have source "admin";
 * costing sees a change at once.
 */
@Path("admin/prices")
@Produces(MediaType.APPLICATION_JSON)
public final class AdminPricesResource extends AdminCollection<PriceRecord> {
  private final Crud<PriceRecord> crud;
  private static final Set<String> FIELDS = Set.of("model", "input_per_mtok", "cached_input_per_mtok",
      "output_per_mtok");
  private static final Set<String> SHOWN = Set.of("object", "source", "updated_at");

  private final PriceRepository prices;

  AdminPricesResource(PriceRepository prices, ChangeFeed changes, Audit audit) {
    this.prices = prices;
    this.crud = new Crud<>(new Crud.Table<>("price", "model", Page.BY_NAME, prices::findAll, prices::find,
        PriceRecord::model, AdminPricesResource::view), ChangeFeed.Kind.PRICES, changes, audit);
  }

  @Override
  Crud<PriceRecord> crud() {
    return crud;
  }

  @POST
  @Consumes(MediaType.WILDCARD)
  public Response create(@Context HttpServletRequest request, byte[] body) {
    PriceRecord price = price(AdminBodies.object(body));
    return crud.createNew(request, price.model(), () -> prices.upsert(price));
  }

  @PUT
  @Path("{model: .+}")
  @Consumes(MediaType.WILDCARD)
  public ObjectNode update(@Context HttpServletRequest request, @PathParam("model") String model, byte[] body) {
    ObjectNode json = AdminBodies.object(body);
    JsonNode given = json.get("model");
    if (given != null && !given.isNull() && !given.asText().equals(model)) {
      throw GatewayException.param(ErrorType.INVALID_REQUEST, "The model in the body must be '" + model
          + "' or left out.", "model");
    }
    json.put("model", model);
    PriceRecord price = price(json);
    return crud.change(request, "update", model, stored -> prices.upsert(price));
  }

  @DELETE
  @Path("{model: .+}")
  public ObjectNode delete(@Context HttpServletRequest request, @PathParam("model") String model) {
    return crud.delete(request, model, stored -> prices.delete(model));
  }

  private static PriceRecord price(ObjectNode body) {
    AdminBodies.onlyFields(body, FIELDS, SHOWN, "a price");
    JsonNode model = body.get("model");
    if (model == null || model.isNull() || !model.isTextual()) {
      throw GatewayException.param(ErrorType.INVALID_REQUEST, "model is required: a model name or a pattern such as"
          + " gpt-4o*", "model");
    }
    try {
      Names.MODEL.check(model.asText().replace("*", "x"), "model");
    } catch (ConfigException e) {
      throw AdminBodies.invalid(e);
    }
    return new PriceRecord(model.asText(), amount(body, "input_per_mtok", true),
        amount(body, "cached_input_per_mtok", false), amount(body, "output_per_mtok", true), "admin", null);
  }

  private static BigDecimal amount(ObjectNode body, String field, boolean required) {
    JsonNode value = body.get(field);
    if (value == null || value.isNull()) {
      if (required) {
        throw GatewayException.param(ErrorType.INVALID_REQUEST, field + " is required", field);
      }
      return null;
    }
    if (!value.isNumber() || value.decimalValue().signum() < 0 || value.decimalValue().scale() > 6
        || value.decimalValue().precision() - value.decimalValue().scale() > 12) {
      throw GatewayException.param(ErrorType.INVALID_REQUEST, field + " must be a non-negative number of US"
          + " dollars per million tokens (at most 6 decimals)", field);
    }
    return value.decimalValue();
  }

  static ObjectNode view(PriceRecord p) {
    ObjectNode o = Json.MAPPER.createObjectNode();
    o.put("object", "price");
    o.put("model", p.model());
    o.put("input_per_mtok", plain(p.input()));
    o.put("cached_input_per_mtok", plain(p.cachedInput()));
    o.put("output_per_mtok", plain(p.output()));
    o.put("source", p.source());
    o.put("updated_at", p.updatedAt() == null ? null : p.updatedAt().toString());
    return o;
  }

  private static BigDecimal plain(BigDecimal d) {
    return d == null ? null : new BigDecimal(d.stripTrailingZeros().toPlainString());
  }
}
