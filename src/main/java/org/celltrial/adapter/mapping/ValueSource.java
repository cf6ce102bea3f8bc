package org.celltrial.adapter.mapping;

import java.time.LocalDate;
import java.util.List;

/** Where a rule's value comes from. Produces a String, a List of {@link CodingValue}, or null (nothing to set). */
public sealed interface ValueSource {

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
                    return dateFromStudyDay(ctx);
                }
                return null;
            }
            return translation == null ? value : translation.translate(column, value);
        }

        private String dateFromStudyDay(RecordContext ctx) {
            String raw = ctx.record().get(studyDayColumn);
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
