// Code systems
Alias: $NCIT = http://ncicb.nci.nih.gov/xml/owl/EVS/Thesaurus.owl
Alias: $SCT = http://snomed.info/sct
Alias: $UCUM = http://unitsofmeasure.org
Alias: $RXNORM = http://www.nlm.nih.gov/research/umls/rxnorm
Alias: $AESERIOUS = http://terminology.hl7.org/CodeSystem/adverse-event-seriousness
Alias: $AESEVERITY = http://terminology.hl7.org/CodeSystem/adverse-event-severity
Alias: $AEOUTCOME = http://terminology.hl7.org/CodeSystem/adverse-event-outcome
Alias: $PHASE = http://terminology.hl7.org/CodeSystem/research-study-phase

// Core value sets
Alias: $VS-AESERIOUS = http://hl7.org/fhir/ValueSet/adverse-event-seriousness
Alias: $VS-PHASE = http://hl7.org/fhir/ValueSet/research-study-phase

// Identifier systems written by the adapter (mappings/*.yaml)
Alias: $SID-USUBJID = https://fhir.celltrial.org/sid/usubjid
Alias: $SID-SUBJID = https://fhir.celltrial.org/sid/subjid
Alias: $SID-STUDYID = https://fhir.celltrial.org/sid/studyid
Alias: $SID-RECORD = https://fhir.celltrial.org/sid/sdtm-record

// Core extension
Alias: $workflow-researchStudy = http://hl7.org/fhir/StructureDefinition/workflow-researchStudy
Alias: $SID-SPDEVID = https://fhir.celltrial.org/sid/spdevid
Alias: $MDR = http://terminology.hl7.org/CodeSystem/mdr
Alias: $LOINC = http://loinc.org
Alias: $DQ = https://fhir.celltrial.org/CodeSystem/data-quality-issue-type
