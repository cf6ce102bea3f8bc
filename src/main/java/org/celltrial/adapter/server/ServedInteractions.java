package org.celltrial.adapter.server;

import org.hl7.fhir.r4.model.CapabilityStatement;
import org.hl7.fhir.r4.model.CapabilityStatement.CapabilityStatementRestComponent;
import org.hl7.fhir.r4.model.CapabilityStatement.CapabilityStatementRestResourceComponent;
import org.hl7.fhir.r4.model.CapabilityStatement.ResourceVersionPolicy;
import org.hl7.fhir.r4.model.CapabilityStatement.SystemRestfulInteraction;
import org.hl7.fhir.r4.model.CapabilityStatement.TypeRestfulInteraction;

import java.util.Map;
import java.util.Set;

/**
 * Keeps in the CapabilityStatement only the interactions and operations a client may use: HAPI lists every one its
 * providers implement (create, delete, {@code $expunge}, {@code $merge}, {@code $meta-add}...), also those our
 * authorization rules or storage settings refuse.
 */
public final class ServedInteractions implements CapabilityStatementCustomizer {

    private final Set<TypeRestfulInteraction> typeInteractions;
    private final Set<SystemRestfulInteraction> systemInteractions;
    /** Operation names (no $) allowed on every type; "*" keys those of all types. */
    private final Map<String, Set<String>> typeOperations;
    private final Set<String> systemOperations;
    private final boolean writes;
    /** Interactions allowed on one type beyond those of every type (a Subscription is written by clients). */
    private final Map<String, Set<TypeRestfulInteraction>> typeWrites;

    private ServedInteractions(Set<TypeRestfulInteraction> typeInteractions, Set<SystemRestfulInteraction> systemInteractions,
                               Map<String, Set<String>> typeOperations, Set<String> systemOperations, boolean writes) {
        this(typeInteractions, systemInteractions, typeOperations, systemOperations, writes, Map.of());
    }

    private ServedInteractions(Set<TypeRestfulInteraction> typeInteractions, Set<SystemRestfulInteraction> systemInteractions,
                               Map<String, Set<String>> typeOperations, Set<String> systemOperations, boolean writes,
                               Map<String, Set<TypeRestfulInteraction>> typeWrites) {
        this.typeInteractions = typeInteractions;
        this.systemInteractions = systemInteractions;
        this.typeOperations = typeOperations;
        this.systemOperations = systemOperations;
        this.writes = writes;
        this.typeWrites = typeWrites;
    }

    /**
     * The same, and create, update and delete of {@code type} (server/subscription: clients write their
     * Subscriptions; the authorization rules allow exactly that).
     */
    public ServedInteractions withWritesOf(String type) {
        Map<String, Set<TypeRestfulInteraction>> more = new java.util.HashMap<>(typeWrites);
        more.put(type, Set.of(TypeRestfulInteraction.CREATE, TypeRestfulInteraction.UPDATE, TypeRestfulInteraction.DELETE));
        return new ServedInteractions(typeInteractions, systemInteractions, typeOperations, systemOperations, writes,
                Map.copyOf(more));
    }

    /**
     * What {@link ReadOnlyAccessConfig}'s rules allow: reads, searches and histories, {@code $everything} on Patient,
     * {@code $validate}, Bulk Data {@code $export} (system, Patient, Group) and its status, and batches or transactions whose entries are such reads.
     */
    public static ServedInteractions readOnly() {
        return new ServedInteractions(
                Set.of(TypeRestfulInteraction.READ, TypeRestfulInteraction.VREAD, TypeRestfulInteraction.SEARCHTYPE,
                        TypeRestfulInteraction.HISTORYINSTANCE, TypeRestfulInteraction.HISTORYTYPE),
                Set.of(SystemRestfulInteraction.TRANSACTION, SystemRestfulInteraction.BATCH, SystemRestfulInteraction.HISTORYSYSTEM),
                Map.of("*", Set.of("validate"), "Patient", Set.of("everything", "export"), "Group", Set.of("export")),
                Set.of("export", "export-poll-status"), false);
    }

    /**
     * REST writes allowed ({@code celltrial.fhir.read-only=false}): all of HAPI's interactions and operations but
     * those the storage settings the adapter enforces switch off (HapiJpaConfig: no expunge).
     */
    static ServedInteractions writable() {
        return new ServedInteractions(Set.of(TypeRestfulInteraction.values()), Set.of(SystemRestfulInteraction.values()),
                null, null, true);
    }

    /** Operations refused whatever the access: expunge is off in the storage settings (HapiJpaConfig). */
    private static final Set<String> NEVER = Set.of("expunge", "delete-expunge");

    @Override
    public void customize(CapabilityStatement statement) {
        if (!writes) {
            statement.getPatchFormat().clear();
        }
        for (CapabilityStatementRestComponent rest : statement.getRest()) {
            rest.getInteraction().removeIf(i -> !systemInteractions.contains(i.getCode()));
            // HAPI's transaction provider also takes batches, but lists only transaction
            if (rest.getInteraction().stream().anyMatch(i -> i.getCode() == SystemRestfulInteraction.TRANSACTION)
                    && systemInteractions.contains(SystemRestfulInteraction.BATCH)
                    && rest.getInteraction().stream().noneMatch(i -> i.getCode() == SystemRestfulInteraction.BATCH)) {
                rest.addInteraction().setCode(SystemRestfulInteraction.BATCH);
            }
            rest.getOperation().removeIf(op -> NEVER.contains(op.getName())
                    || systemOperations != null && !systemOperations.contains(op.getName()));
            for (CapabilityStatementRestResourceComponent resource : rest.getResource()) {
                customize(resource);
            }
        }
    }

    private void customize(CapabilityStatementRestResourceComponent resource) {
        Set<TypeRestfulInteraction> written = typeWrites.getOrDefault(resource.getType(), Set.of());
        resource.getInteraction().removeIf(i -> !typeInteractions.contains(i.getCode()) && !written.contains(i.getCode()));
        resource.getOperation().removeIf(op -> NEVER.contains(op.getName()) || typeOperations != null
                && !typeOperations.getOrDefault("*", Set.of()).contains(op.getName())
                && !typeOperations.getOrDefault(resource.getType(), Set.of()).contains(op.getName()));
        if (!writes) {
            resource.setConditionalCreateElement(null);
            resource.setConditionalUpdateElement(null);
            resource.setConditionalDeleteElement(null);
            resource.setUpdateCreateElement(null);
            resource.setConditionalReadElement(null);
            // HAPI says versioned-update, which is about updates; reads do give versions
            resource.setVersioning(ResourceVersionPolicy.VERSIONED);
        }
    }
}
