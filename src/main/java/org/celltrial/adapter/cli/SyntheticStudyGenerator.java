package org.celltrial.adapter.cli;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.Locale;
import java.util.Random;

/**
 * Writes one synthetic SDTM delivery (ts, dm, pr, ex, ae, ce .csv) of a cell-therapy study with N subjects, for
 * load, benchmark and crash tests. Every value is invented; the columns and controlled terms are exactly those
 * the mappings in {@code mappings/} accept (see the ConceptMaps in mappings/terminology), so every record maps.
 * The same seed always gives byte-identical files.
 *
 * <p>Per subject: 1 DM, 3 PR, 8 EX, 8-12 AE (10 on average) and 8 CE rows, so about 30 records and 31 FHIR
 * resources (Patient, ResearchSubject and one resource per PR/EX/AE/CE row); plus 6 TS rows and one
 * ResearchStudy for the study.
 *
 * <pre>
 * java -cp target/test-classes:$(cat target/bench.classpath) org.celltrial.adapter.cli.SyntheticStudyGenerator \
 *      &lt;out-folder&gt; [subjects=1000] [seed=42] [studyid=SYN-NK1]
 * </pre>
 */
public final class SyntheticStudyGenerator {

    public static final String TS_HEADER = "STUDYID,DOMAIN,TSSEQ,TSPARMCD,TSPARM,TSVAL";
    public static final String DM_HEADER = "STUDYID,DOMAIN,USUBJID,SUBJID,RFSTDTC,RFENDTC,RFICDTC,SITEID,BRTHDTC,AGE,AGEU,"
            + "SEX,RACE,ETHNIC,ARMCD,ARM,ACTARMCD,ACTARM,COUNTRY,DTHFL,DTHDTC";
    public static final String PR_HEADER = "STUDYID,DOMAIN,USUBJID,PRSEQ,PRTRT,PRDECOD,PRCAT,PROCCUR,PRSTDTC,PRENDTC,PRSTDY,PRENDY";
    public static final String EX_HEADER = "STUDYID,DOMAIN,USUBJID,EXSEQ,EXTRT,EXCAT,EXDOSE,EXDOSU,EXDOSFRM,EXROUTE,EXLOT,"
            + "EXSTDTC,EXENDTC,EXSTDY,EXENDY";
    public static final String AE_HEADER = "STUDYID,DOMAIN,USUBJID,AESEQ,AETERM,AEDECOD,AEBODSYS,AESEV,AESER,AETOXGR,AEREL,"
            + "AEACN,AEOUT,AESTDTC,AEENDTC,AESTDY,AEENDY";
    public static final String CE_HEADER = "STUDYID,DOMAIN,USUBJID,CESEQ,CETERM,CEDECOD,CECAT,CEOCCUR,CESTDTC,CESTDY";

    /** AE term, dictionary term, body system, usual CTCAE grade. */
    private static final String[][] AE_TERMS = {
            {"Nausea", "Nausea", "Gastrointestinal disorders", "1"},
            {"Vomiting", "Vomiting", "Gastrointestinal disorders", "1"},
            {"Oral mucositis", "Stomatitis", "Gastrointestinal disorders", "3"},
            {"Diarrhoea", "Diarrhoea", "Gastrointestinal disorders", "2"},
            {"Febrile neutropenia", "Febrile neutropenia", "Blood and lymphatic system disorders", "3"},
            {"Febrile neutropenia, blood culture negative", "Febrile neutropenia", "Blood and lymphatic system disorders", "3"},
            {"Anaemia", "Anaemia", "Blood and lymphatic system disorders", "3"},
            {"Thrombocytopenia", "Thrombocytopenia", "Blood and lymphatic system disorders", "4"},
            {"Pyrexia after infusion", "Pyrexia", "General disorders and administration site conditions", "1"},
            {"Chills", "Chills", "General disorders and administration site conditions", "1"},
            {"Fatigue", "Fatigue", "General disorders and administration site conditions", "2"},
            {"Headache", "Headache", "Nervous system disorders", "1"},
            {"Acute graft versus host disease, skin", "Acute graft versus host disease", "Immune system disorders", "2"},
            {"Cytokine release syndrome", "Cytokine release syndrome", "Immune system disorders", "2"},
            {"Cytomegalovirus infection reactivation", "Cytomegalovirus infection reactivation", "Infections and infestations", "2"},
            {"Sepsis", "Sepsis", "Infections and infestations", "4"},
            {"Hypokalaemia", "Hypokalaemia", "Metabolism and nutrition disorders", "2"},
            {"Veno-occlusive liver disease", "Venoocclusive liver disease", "Hepatobiliary disorders", "3"},
            {"Alanine aminotransferase increased", "Alanine aminotransferase increased", "Investigations", "2"},
            {"Rash maculo-papular", "Rash maculo-papular", "Skin and subcutaneous tissue disorders", "1"},
    };
    private static final String[] SEVERITY_BY_GRADE = {"", "MILD", "MODERATE", "SEVERE", "SEVERE"};
    private static final String[] AEREL = {"NOT RELATED", "UNLIKELY RELATED", "POSSIBLY RELATED", "PROBABLY RELATED", "RELATED"};
    private static final String[] AEACN = {"DOSE NOT CHANGED", "NOT APPLICABLE", "DRUG INTERRUPTED"};
    private static final String[] RACE = {"WHITE", "ASIAN", "BLACK OR AFRICAN AMERICAN", "NOT REPORTED"};
    private static final String[] COUNTRY = {"IRN", "DEU", "FRA", "ITA", "ESP"};

    private record Arm(String code, String name) {
    }

    private static final Arm HAPLO = new Arm("NKHAPLO", "Haploidentical HSCT plus donor NK cells");
    private static final Arm AUTO = new Arm("NKAUTO", "Donor NK cells before autologous HSCT");

    private SyntheticStudyGenerator() {
    }

    /** What was written: row counts per domain and the FHIR resources the mappings make of them. */
    public record Summary(String studyId, int subjects, int ts, int dm, int pr, int ex, int ae, int ce) {
        public int records() {
            return ts + dm + pr + ex + ae + ce;
        }

        /** 1 ResearchStudy + Patient and ResearchSubject per DM row + one resource per PR/EX/AE/CE row. */
        public int resources() {
            return 1 + 2 * dm + pr + ex + ae + ce;
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "study %s: %d subjects, %d records (TS %d, DM %d, PR %d, EX %d, AE %d, CE %d) -> %d resources",
                    studyId, subjects, records(), ts, dm, pr, ex, ae, ce, resources());
        }
    }

    public static void main(String[] args) throws IOException {
        if (args.length < 1) {
            System.err.println("usage: SyntheticStudyGenerator <out-folder> [subjects=1000] [seed=42] [studyid=SYN-NK1]");
            System.exit(2);
        }
        Path out = Path.of(args[0]);
        int subjects = args.length > 1 ? Integer.parseInt(args[1]) : 1000;
        long seed = args.length > 2 ? Long.parseLong(args[2]) : 42;
        String studyId = args.length > 3 ? args[3] : "SYN-NK1";
        System.out.println(write(out, studyId, subjects, seed));
    }

    /** Writes the six datasets into {@code folder} (created if needed). */
    public static Summary write(Path folder, String studyId, int subjects, long seed) throws IOException {
        Files.createDirectories(folder);
        Random rnd = new Random(seed);
        Csv ts = new Csv(TS_HEADER), dm = new Csv(DM_HEADER), pr = new Csv(PR_HEADER), ex = new Csv(EX_HEADER),
                ae = new Csv(AE_HEADER), ce = new Csv(CE_HEADER);

        ts.row(studyId, "TS", "1", "TITLE", "Trial Title",
                "Synthetic load-test study " + studyId + ": expanded NK cells with haploidentical or autologous HSCT");
        ts.row(studyId, "TS", "1", "TPHASE", "Trial Phase Classification", "PHASE I/II TRIAL");
        ts.row(studyId, "TS", "1", "REGID", "Registry Identifier", "SYNTH-" + studyId + "-" + seed);
        ts.row(studyId, "TS", "1", "INDIC", "Trial Disease/Condition Indication", "High-risk pediatric leukemia or neuroblastoma (synthetic)");
        ts.row(studyId, "TS", "1", "SPONSOR", "Clinical Study Sponsor", "Synthetic Cell Therapy Consortium");
        ts.row(studyId, "TS", "1", "TRT", "Investigational Therapy or Treatment", "Ex vivo expanded IL-2 activated NK cells");

        LocalDate firstEnrolment = LocalDate.of(2019, 1, 7);
        for (int i = 1; i <= subjects; i++) {
            String site = String.format(Locale.ROOT, "%02d", 1 + rnd.nextInt(12));
            String subjid = String.format(Locale.ROOT, "%05d", i);
            String usubjid = studyId + "-" + site + "-" + subjid;
            Arm arm = rnd.nextInt(3) == 0 ? AUTO : HAPLO;
            LocalDate day1 = firstEnrolment.plusDays(i * 2L + rnd.nextInt(2));
            int age = 2 + rnd.nextInt(16);
            LocalDate birth = day1.minusYears(age).minusDays(1 + rnd.nextInt(360));
            String brthdtc = switch (rnd.nextInt(5)) {
                case 0 -> String.valueOf(birth.getYear());
                case 1 -> birth.toString().substring(0, 7);
                default -> birth.toString();
            };
            boolean died = rnd.nextInt(12) == 0;
            LocalDate death = died ? day1.plusDays(60 + rnd.nextInt(300)) : null;
            boolean offStudy = died || rnd.nextInt(4) == 0;
            dm.row(studyId, "DM", usubjid, subjid, day1.toString(), offStudy ? (died ? death : day1.plusDays(365)).toString() : "",
                    day1.minusDays(30 + rnd.nextInt(20)).toString(), site, brthdtc, String.valueOf(age), "YEARS",
                    rnd.nextBoolean() ? "M" : "F", pick(rnd, RACE), "NOT HISPANIC OR LATINO",
                    arm.code, arm.name, arm.code, arm.name, pick(rnd, COUNTRY), died ? "Y" : "", died ? death.toString() : "");

            // PR: 3 procedures
            if (arm == HAPLO) {
                procedure(pr, studyId, usubjid, 1, "HAPLOIDENTICAL HEMATOPOIETIC STEM CELL TRANSPLANTATION",
                        "HEMATOPOIETIC STEM CELL TRANSPLANTATION", "TRANSPLANTATION", day1, -7, -7, false);
                procedure(pr, studyId, usubjid, 2, "NK CELL INFUSION", "CELLULAR THERAPY", "CELL THERAPY", day1, 1, 1, true);
                procedure(pr, studyId, usubjid, 3, "NK CELL INFUSION", "CELLULAR THERAPY", "CELL THERAPY", day1, 8, 8, true);
            } else {
                procedure(pr, studyId, usubjid, 1, "HEMATOPOIETIC PROGENITOR CELL APHERESIS",
                        "PERIPHERAL BLOOD STEM CELL HARVESTING", "CELL COLLECTION", day1, -45, -44, false);
                procedure(pr, studyId, usubjid, 2, "NK CELL INFUSION", "CELLULAR THERAPY", "CELL THERAPY", day1, 1, 1, true);
                procedure(pr, studyId, usubjid, 3, "AUTOLOGOUS HEMATOPOIETIC STEM CELL TRANSPLANTATION",
                        "AUTOLOGOUS HEMATOPOIETIC STEM CELL TRANSPLANTATION", "TRANSPLANTATION", day1, 10, 10, false);
            }

            // EX: 4 conditioning / lymphodepleting drugs, 4 NK cell doses
            int seq = 1;
            if (arm == HAPLO) {
                exposure(ex, studyId, usubjid, seq++, "FLUDARABINE", "CONDITIONING", "30", "mg/m2", "INJECTION", "INTRAVENOUS", "", day1, -13, -9);
                exposure(ex, studyId, usubjid, seq++, "BUSULFAN", "CONDITIONING", "3.2", "mg/kg", "INJECTION",
                        rnd.nextInt(4) == 0 ? "ORAL" : "INTRAVENOUS", "", day1, -12, -9);
                exposure(ex, studyId, usubjid, seq++, "CYCLOPHOSPHAMIDE", "CONDITIONING", "50", "mg/kg", "INJECTION", "INTRAVENOUS", "", day1, 3, 4);
                exposure(ex, studyId, usubjid, seq++, "MELPHALAN", "CONDITIONING", "140", "mg/m2", "INJECTION", "INTRAVENOUS", "", day1, -8, -8);
            } else {
                exposure(ex, studyId, usubjid, seq++, "IODINE I-131 MIBG", "RADIOTHERAPY", String.valueOf(12 + rnd.nextInt(7)), "mCi/kg",
                        "SOLUTION", "INTRAVENOUS", "", day1, -15, -15);
                exposure(ex, studyId, usubjid, seq++, "FLUDARABINE", "LYMPHODEPLETION", "25", "mg/m2", "INJECTION", "INTRAVENOUS", "", day1, -8, -4);
                exposure(ex, studyId, usubjid, seq++, "CYCLOPHOSPHAMIDE", "LYMPHODEPLETION", "60", "mg/kg", "INJECTION", "INTRAVENOUS", "", day1, -8, -7);
                exposure(ex, studyId, usubjid, seq++, "MELPHALAN", "CONDITIONING", "140", "mg/m2", "INJECTION", "INTRAVENOUS", "", day1, 8, 8);
            }
            for (int dose = 0; dose < 4; dose++) {
                int day = 1 + 7 * dose;
                String lot = String.format(Locale.ROOT, "NKL-%02d%04d-%d", day1.getYear() % 100, i, dose + 1);
                String cells = String.valueOf(1 + rnd.nextInt(10) / 3.0).replaceAll("(\\.\\d)\\d+", "$1");
                exposureTimed(ex, studyId, usubjid, seq++, cells, lot, day1, day, rnd);
            }

            // AE: 8-12 adverse events
            int aes = 8 + rnd.nextInt(5);
            for (int a = 1; a <= aes; a++) {
                String[] term = AE_TERMS[rnd.nextInt(AE_TERMS.length)];
                int grade = Math.min(4, Math.max(1, Integer.parseInt(term[3]) + rnd.nextInt(3) - 1));
                int start = -14 + rnd.nextInt(120);
                if (start == 0) start = 1;
                int length = rnd.nextInt(20);
                boolean ongoing = rnd.nextInt(15) == 0;
                String outcome = ongoing ? "NOT RECOVERED/NOT RESOLVED"
                        : grade >= 3 && rnd.nextInt(6) == 0 ? "RECOVERED/RESOLVED WITH SEQUELAE"
                        : rnd.nextInt(10) == 0 ? "RECOVERING/RESOLVING" : "RECOVERED/RESOLVED";
                int end = start + length;
                if (start < 0 && end >= 0) end++;   // no study day 0
                // a few rows carry only study days, their dates are computed from RFSTDTC
                boolean dayOnly = rnd.nextInt(10) == 0;
                ae.row(studyId, "AE", usubjid, String.valueOf(a), term[0], term[1], term[2], SEVERITY_BY_GRADE[grade],
                        grade >= 3 && rnd.nextBoolean() ? "Y" : "N", String.valueOf(grade), pick(rnd, AEREL), pick(rnd, AEACN), outcome,
                        dayOnly ? "" : date(day1, start).toString(), ongoing || dayOnly ? "" : date(day1, end).toString(),
                        String.valueOf(start), ongoing ? "" : String.valueOf(end));
            }

            // CE: engraftment, 5 relapse assessments, disease status at one year
            int neut = 9 + rnd.nextInt(15), plt = neut + 5 + rnd.nextInt(20);
            seq = 1;
            ce.row(studyId, "CE", usubjid, String.valueOf(seq++), "NEUTROPHIL ENGRAFTMENT", "Neutrophil engraftment", "ENGRAFTMENT",
                    "Y", date(day1, neut).toString(), String.valueOf(neut));
            ce.row(studyId, "CE", usubjid, String.valueOf(seq++), "PLATELET ENGRAFTMENT", "Platelet engraftment", "ENGRAFTMENT",
                    rnd.nextInt(10) == 0 ? "N" : "Y", date(day1, plt).toString(), String.valueOf(plt));
            boolean relapsed = false;
            for (int day : new int[]{30, 90, 180, 270, 365}) {
                relapsed = relapsed || rnd.nextInt(12) == 0;
                ce.row(studyId, "CE", usubjid, String.valueOf(seq++), "DISEASE RELAPSE", "Disease relapse", "DISEASE STATUS",
                        relapsed ? "Y" : "N", date(day1, day).toString(), String.valueOf(day));
            }
            ce.row(studyId, "CE", usubjid, String.valueOf(seq), "DISEASE-FREE AT ONE YEAR", "Disease-free at one year", "DISEASE STATUS",
                    relapsed ? "N" : "Y", date(day1, 365).toString(), "365");
        }
        ts.writeTo(folder.resolve("ts.csv"));
        dm.writeTo(folder.resolve("dm.csv"));
        pr.writeTo(folder.resolve("pr.csv"));
        ex.writeTo(folder.resolve("ex.csv"));
        ae.writeTo(folder.resolve("ae.csv"));
        ce.writeTo(folder.resolve("ce.csv"));
        return new Summary(studyId, subjects, ts.rows, dm.rows, pr.rows, ex.rows, ae.rows, ce.rows);
    }

    private static void procedure(Csv pr, String study, String usubjid, int seq, String trt, String decod, String cat,
                                  LocalDate day1, int startDay, int endDay, boolean timed) {
        String start, end;
        if (timed) {
            LocalDateTime t = date(day1, startDay).atTime(10, 15);
            start = t.toString();
            end = t.plusMinutes(35).toString();
        } else {
            start = date(day1, startDay).toString();
            end = date(day1, endDay).toString();
        }
        pr.row(study, "PR", usubjid, String.valueOf(seq), trt, decod, cat, "Y", start, end, String.valueOf(startDay), String.valueOf(endDay));
    }

    private static void exposure(Csv ex, String study, String usubjid, int seq, String trt, String cat, String dose, String unit,
                                 String form, String route, String lot, LocalDate day1, int startDay, int endDay) {
        ex.row(study, "EX", usubjid, String.valueOf(seq), trt, cat, dose, unit, form, route, lot,
                date(day1, startDay).toString(), date(day1, endDay).toString(), String.valueOf(startDay), String.valueOf(endDay));
    }

    private static void exposureTimed(Csv ex, String study, String usubjid, int seq, String cells, String lot, LocalDate day1,
                                      int day, Random rnd) {
        LocalDateTime t = date(day1, day).atTime(9 + rnd.nextInt(5), 5 * rnd.nextInt(12));
        ex.row(study, "EX", usubjid, String.valueOf(seq), "HAPLOIDENTICAL NK CELLS", "CELL THERAPY", cells, "10^6 cells/kg",
                "SUSPENSION", "INTRAVENOUS", lot, t.toString(), t.plusMinutes(30 + rnd.nextInt(15)).toString(),
                String.valueOf(day), String.valueOf(day));
    }

    /** The date of an SDTM study day (day 1 is the reference start; there is no day 0). */
    static LocalDate date(LocalDate day1, int studyDay) {
        return studyDay > 0 ? day1.plusDays(studyDay - 1L) : day1.plusDays(studyDay);
    }

    private static String pick(Random rnd, String[] values) {
        return values[rnd.nextInt(values.length)];
    }

    /** An RFC 4180 CSV built in memory: fields with commas, quotes or line breaks are quoted. */
    private static final class Csv {
        private final StringBuilder sb = new StringBuilder(1 << 16);
        private final int columns;
        int rows;

        Csv(String header) {
            sb.append(header).append("\r\n");
            columns = header.split(",").length;
        }

        void row(String... values) {
            if (values.length != columns) {
                throw new IllegalArgumentException("expected " + columns + " values, got " + values.length);
            }
            for (int i = 0; i < values.length; i++) {
                if (i > 0) sb.append(',');
                String v = values[i];
                if (v.indexOf(',') >= 0 || v.indexOf('"') >= 0 || v.indexOf('\n') >= 0 || v.indexOf('\r') >= 0) {
                    sb.append('"').append(v.replace("\"", "\"\"")).append('"');
                } else {
                    sb.append(v);
                }
            }
            sb.append("\r\n");
            rows++;
        }

        void writeTo(Path file) throws IOException {
            try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
                w.write(sb.toString());
            }
        }
    }
}
