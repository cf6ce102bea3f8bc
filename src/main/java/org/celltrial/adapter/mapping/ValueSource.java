package org.celltrial.adapter.mapping;

import java.time.LocalDate;
import java.util.List;

/** Where a rule's value comes from. Produces a String, a List of {@link CodingValue}, or null (nothing to set). */
public sealed interface ValueSource permits ValueSource.Constant, ValueSource.Column, ValueSource.Text,
        ValueSource.Reference, ValueSource.Parent {

    Object produce(RecordContext ctx);

    /** The source column errors should name, or null. */
    String column();

    record Constant(Object value) implements ValueSource {
        public Object produce(RecordContext ctx) {
            return value;
        }

        public String column() {
            return null;
        }
    }

    record Column(String column, Translation translation, String studyDayColumn) implements ValueSource {
        public Object produce(RecordContext ctx) {
            SourceRecord record = ctx.record();
            String value = record.get(column);
            if (value.isEmpty()) {
                if (studyDayColumn != null && record.has(studyDayColumn)) {
                    // a study day given without its date: the date is computed (README "Study days")
                    return dateFromStudyDay(ctx);
                }
                return null;
            }
            if (translation == null) {
                return value;
            }
            return new Translated(value, translation, translation.translate(column, value));
        }

        private String dateFromStudyDay(RecordContext ctx) {
            String raw = ctx.record().get(studyDayColumn);
            if (MissingValues.isNotAvailable(raw)) {
                return null;
            }
            int day;
            try {
                day = Integer.parseInt(raw.trim());
            } catch (NumberFormatException e) {
                throw new RecordMappingException(studyDayColumn, "'" + raw + "' is not a whole number of study days");
            }
            if (day == 0) {
                throw new RecordMappingException(studyDayColumn, "SDTM study days have no day 0");
            }
            LocalDate start = ctx.subject() == null ? null : ctx.subject().referenceStart();
            if (start == null) {
                throw new RecordMappingException(column, "is empty and cannot be computed from " + studyDayColumn
                        + ": the subject has no full reference start date (DM.RFSTDTC)");
            }
            return SdtmDates.dateOfStudyDay(start, day).toString();
        }
    }

    /**
     * A value looked up in a translation: the source text and its target, null when the translation has none (the
     * open world: the text is kept and the record flagged, see {@link Translation}).
     */
    record Translated(String text, Translation translation, Object target) {
    }

    /** The reference of the resource a parent record produced (SUPP--, RELREC); see {@link ParentResolver}. */
    record Parent(String domainColumn, String keyVariableColumn, String keyValueColumn) implements ValueSource {
        public Object produce(RecordContext ctx) {
            SourceRecord r = ctx.record();
            String domain = r.get(domainColumn);
            if (domain.isEmpty()) {
                throw new RecordMappingException(domainColumn, "required value is missing (the parent record's domain)");
            }
            try {
                return ctx.parents().resolve(r, domain, r.get(keyVariableColumn), r.get(keyValueColumn));
            } catch (RecordMappingException e) {
                if (e.column() != null) {
                    throw e;
                }
                throw new RecordMappingException(r.has(keyVariableColumn) ? keyValueColumn : domainColumn, e.getMessage());
            }
        }

        public String column() {
            return keyValueColumn;
        }
    }

    record Text(Template template) implements ValueSource {
        public Object produce(RecordContext ctx) {
            return template.render(ctx.record());
        }

        public String column() {
            return template.columns().isEmpty() ? null : template.columns().get(0);
        }
    }

    record Reference(String resourceType, Template idTemplate) implements ValueSource {
        public Object produce(RecordContext ctx) {
            return resourceType + "/" + FhirIds.fromKey(idTemplate.render(ctx.record()));
        }

        public String column() {
            return null;
        }
    }

    static List<CodingValue> codings(Object value) {
        @SuppressWarnings("unchecked")
        List<CodingValue> list = (List<CodingValue>) value;
        return list;
    }
}
