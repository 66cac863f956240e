from django.db import migrations

# An agreed version of the local definition of serious violence is a record of what
# the partnership agreed, and strategies and needs assessments bind to it (their
# sign-off digests include it). The actions already refuse to change one
# (actions._require_draft); these triggers refuse it in the database too, whoever
# connects: the agreed definition row cannot be changed or deleted, and its kinds,
# mapping rules and excluded offence codes cannot be added, changed or deleted.
# A change means a new version (actions.start_definition copies the latest one).
# Agreeing a draft (status draft -> agreed) is allowed, as is a save that changes
# nothing. TRUNCATE (test teardown, restore) does not fire row triggers.
FROZEN_SQL = """
CREATE OR REPLACE FUNCTION partnership_definition_agreed(definition_pk BIGINT)
RETURNS boolean AS $$
    SELECT EXISTS (
        SELECT 1 FROM partnership_localdefinition
        WHERE id = definition_pk AND status = 'agreed'
    );
$$ LANGUAGE sql STABLE;

CREATE OR REPLACE FUNCTION partnership_kind_agreed(kind_pk BIGINT)
RETURNS boolean AS $$
    SELECT EXISTS (
        SELECT 1 FROM partnership_definitionkind k
        JOIN partnership_localdefinition d ON d.id = k.definition_id
        WHERE k.id = kind_pk AND d.status = 'agreed'
    );
$$ LANGUAGE sql STABLE;

CREATE OR REPLACE FUNCTION partnership_refuse_agreed(what TEXT) RETURNS void AS $$
BEGIN
    RAISE EXCEPTION '% belongs to an agreed definition of serious violence and '
        'cannot be changed or deleted: start a new version', what
        USING ERRCODE = 'integrity_constraint_violation';
END $$ LANGUAGE plpgsql;

CREATE OR REPLACE FUNCTION partnership_definition_frozen() RETURNS trigger AS $$
BEGIN
    IF OLD.status = 'agreed' AND (TG_OP = 'DELETE' OR NEW IS DISTINCT FROM OLD) THEN
        PERFORM partnership_refuse_agreed(
            format('definition version %s', OLD.number));
    END IF;
    IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
    RETURN NEW;
END $$ LANGUAGE plpgsql;

CREATE OR REPLACE FUNCTION partnership_definition_part_frozen() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND NEW IS NOT DISTINCT FROM OLD THEN
        RETURN NEW;
    END IF;
    IF TG_OP IN ('UPDATE', 'DELETE') AND partnership_definition_agreed(OLD.definition_id)
    THEN
        PERFORM partnership_refuse_agreed(TG_TABLE_NAME || ' row ' || OLD.id);
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') AND partnership_definition_agreed(NEW.definition_id)
    THEN
        PERFORM partnership_refuse_agreed('a new ' || TG_TABLE_NAME || ' row');
    END IF;
    IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
    RETURN NEW;
END $$ LANGUAGE plpgsql;

CREATE OR REPLACE FUNCTION partnership_rule_frozen() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND NEW IS NOT DISTINCT FROM OLD THEN
        RETURN NEW;
    END IF;
    IF TG_OP IN ('UPDATE', 'DELETE') AND partnership_kind_agreed(OLD.kind_id) THEN
        PERFORM partnership_refuse_agreed('mapping rule ' || OLD.id);
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') AND partnership_kind_agreed(NEW.kind_id) THEN
        PERFORM partnership_refuse_agreed('a new mapping rule');
    END IF;
    IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
    RETURN NEW;
END $$ LANGUAGE plpgsql;

CREATE TRIGGER partnership_definition_frozen
    BEFORE UPDATE OR DELETE ON partnership_localdefinition
    FOR EACH ROW EXECUTE FUNCTION partnership_definition_frozen();
CREATE TRIGGER partnership_kind_frozen
    BEFORE INSERT OR UPDATE OR DELETE ON partnership_definitionkind
    FOR EACH ROW EXECUTE FUNCTION partnership_definition_part_frozen();
CREATE TRIGGER partnership_exclusion_frozen
    BEFORE INSERT OR UPDATE OR DELETE ON partnership_excludedoffence
    FOR EACH ROW EXECUTE FUNCTION partnership_definition_part_frozen();
CREATE TRIGGER partnership_rule_frozen
    BEFORE INSERT OR UPDATE OR DELETE ON partnership_mappingrule
    FOR EACH ROW EXECUTE FUNCTION partnership_rule_frozen();
"""

UNFROZEN_SQL = """
DROP TRIGGER IF EXISTS partnership_rule_frozen ON partnership_mappingrule;
DROP TRIGGER IF EXISTS partnership_exclusion_frozen ON partnership_excludedoffence;
DROP TRIGGER IF EXISTS partnership_kind_frozen ON partnership_definitionkind;
DROP TRIGGER IF EXISTS partnership_definition_frozen ON partnership_localdefinition;
DROP FUNCTION IF EXISTS partnership_rule_frozen();
DROP FUNCTION IF EXISTS partnership_definition_part_frozen();
DROP FUNCTION IF EXISTS partnership_definition_frozen();
DROP FUNCTION IF EXISTS partnership_refuse_agreed(TEXT);
DROP FUNCTION IF EXISTS partnership_kind_agreed(BIGINT);
DROP FUNCTION IF EXISTS partnership_definition_agreed(BIGINT);
"""


class Migration(migrations.Migration):
    dependencies = [("partnership", "0005_definition_exclusions")]

    operations = [migrations.RunSQL(FROZEN_SQL, UNFROZEN_SQL)]
