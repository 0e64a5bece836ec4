;;; Version 2 of the contract's clear cases for mechanisms and relational overlap, in CLIPS.
;;;
;;; The anchor that bench/run.py runs beside the experta rule base: it reads
;;; the same prepared structure (rows and evidence from
;;; diagnose.structure.Structure.unit_facts for every unit, hidden ones
;;; included, plus which dyad lies inside which larger unit and the kind
;;; vocabulary) and must reach the same mechanism rows (status, variant,
;;; facing, phase, coupling) and relational overlaps. Written from
;;; ../shared/spec/fact-files.md, version 2, section 3 ("Inward and outward"
;;; and clear cases 1-7, 12), with the thresholds of rules/thresholds.py
;;; asserted as `threshold` facts. Nothing here is read from rules/: where the
;;; two disagree, one of them misreads the contract.
;;;
;;; diagnose runs experta in three stages of small partitions (relations per
;;; unit, dyads first, then the larger units; mechanisms per reported unit;
;;; overlaps). CLIPS indexes its joins, so here the whole world is asserted
;;; into one environment and run once, and that order comes from salience
;;; alone: every stratum only adds facts (or grows a tally, or fills a slot
;;; that was nil), and each rule reads only what strata above it have
;;; finished:
;;;
;;;   200  tallies and rivalries absorb what is counted, at once
;;;   100  structure (open tallies)
;;;    90  kinds: what each entry counts toward in each row; war between a dyad's states
;;;    85  dyads balance (inward)         80  dyads' balance of power
;;;    75  inside larger units: rival dyads and wars between their states
;;;    70  larger units balance (inward, outward)   65  their balance of power
;;;    60  blocked: states that fight or prepare for violence against each other
;;;    55  community kinds: counted, or held back (own states blocked)
;;;    50  SC active  48 broken down  46 decaying  44 formal only at war
;;;    42  nascent    40 formal only unrooted
;;;    35  not evident (reported rows of all practices)
;;;    30  variant of BoP, phase and coupling of SC (29: adversarial by default)
;;;    20  relational overlap
;;;
;;; Values: unit ids, row keys, fact ids and periods are STRINGs; mechanisms,
;;; kinds, sections, forms, levels, statuses, variants, facings, phases,
;;; couplings, unit kinds and dimensions are SYMBOLs; nil stands for Python's
;;; None (no period, no slice, no declaration, no own unit, no level).

(defglobal
  ?*absorb* = 200
  ?*structure* = 100
  ?*kinds* = 90
  ?*dyad-balancing* = 85
  ?*dyad-status* = 80
  ?*inside* = 75
  ?*larger-balancing* = 70
  ?*larger-status* = 65
  ?*blocked* = 60
  ?*community-kinds* = 55
  ?*sc-active* = 50
  ?*breakdown* = 48
  ?*decay* = 46
  ?*formal-at-war* = 44
  ?*nascent* = 42
  ?*formal-unrooted* = 40
  ?*not-evident* = 35
  ?*refine* = 30
  ?*refine-default* = 29
  ?*overlaps* = 20)

;;; The contract's fixed names (section 2's vocabulary, clear cases 1 and 4).
(defglobal
  ?*associational* = (create$ great_power_concert peace_conference)
  ?*tight* = (create$ cooperative_security military_integration policy_coordination multilateral_decision_making)
  ?*violent* = (create$ war armed_conflict)
  ?*alliance* = (create$ alliance_of_expediency))

;;; ---------------------------------------------------------------- input

(deftemplate row
  "One unit, period and slice of practices (diagnose.facttypes.Row)."
  (slot key (type STRING))
  (slot unit (type STRING))
  (slot unit-kind (type SYMBOL) (allowed-symbols region subregion group dyad entry))
  (slot period)                          ; STRING, or nil when the file has no periods
  (slot dim (type SYMBOL) (allowed-symbols nil sector agency issue))
  (slot value)                           ; STRING, or nil on the row of all practices
  (multislot states (type STRING))
  (slot size (type INTEGER))
  (slot declared)                        ; the declaration's fact id (STRING), nil for dyads and entry units
  (slot reported (type SYMBOL) (allowed-symbols TRUE FALSE)))

(deftemplate evidence
  "One file entry that concerns a row, and where the row's unit stands to it (diagnose.facttypes.Evidence)."
  (slot row (type STRING))
  (slot id (type STRING))
  (slot section (type SYMBOL))
  (multislot kinds (type SYMBOL))
  (slot form (type SYMBOL) (allowed-symbols between among members directed sides))
  (slot size (type INTEGER))
  (slot mutual (type SYMBOL) (allowed-symbols TRUE FALSE))
  (slot level (type SYMBOL))             ; war | armed_conflict | crisis, nil outside `wars`
  (slot rooted (type SYMBOL) (allowed-symbols TRUE FALSE))
  (slot deliberate (type SYMBOL) (allowed-symbols TRUE FALSE))
  (slot covers (type SYMBOL) (allowed-symbols TRUE FALSE))
  (slot acting-covers (type SYMBOL) (allowed-symbols TRUE FALSE))
  (slot target-outside (type SYMBOL) (allowed-symbols TRUE FALSE))
  (slot own-unit))                       ; the unit an undirected entry's states form (STRING), or nil

(deftemplate vocabulary
  "A kind and the mechanism it belongs to (or indicator)."
  (slot kind (type SYMBOL))
  (slot mechanism (type SYMBOL)))

(deftemplate contains
  "A dyad lies inside a larger unit (diagnose.facttypes.Contains)."
  (slot dyad (type STRING))
  (slot unit (type STRING)))

(deftemplate period-after
  "`later` immediately follows `earlier`."
  (slot earlier (type STRING))
  (slot later (type STRING)))

(deftemplate threshold
  (slot name (type SYMBOL))
  (slot value (type NUMBER)))

(deftemplate mechanism
  (slot name (type SYMBOL)))

;;; -------------------------------------------------------------- derived

(deftemplate counts
  "One kind that an entry adds to a row's tally `name`."
  (slot row (type STRING))
  (slot name (type SYMBOL))
  (slot kind (type SYMBOL))
  (slot rooted (type SYMBOL) (allowed-symbols TRUE FALSE)))

(deftemplate tally
  "Distinct kinds counted in a row under a name: a mechanism (every covering entry), inward, outward,
   counted (community kinds that can make a community) or held-back (community kinds of blocked states)."
  (slot row (type STRING))
  (slot name (type SYMBOL))
  (multislot kinds (type SYMBOL))
  (multislot rooted-kinds (type SYMBOL))
  (multislot unrooted-kinds (type SYMBOL)))

(deftemplate violence
  "War or armed conflict between two states of a unit in a period."
  (slot unit (type STRING))
  (slot period))

(deftemplate rival
  "A rival dyad (its own balance of power active) inside a larger unit's row."
  (slot row (type STRING))
  (slot dyad (type STRING))
  (multislot states (type STRING)))

(deftemplate rivalries
  "The states of a larger unit's row caught in rival dyads."
  (slot row (type STRING))
  (multislot dyads (type STRING))
  (multislot states (type STRING)))

(deftemplate balancing
  "One reason why a row balances power, facing inward or outward."
  (slot row (type STRING))
  (slot facing (type SYMBOL) (allowed-symbols inward outward)))

(deftemplate blocked
  "A row's states fight or prepare for violence against each other: no community there."
  (slot row (type STRING))
  (slot unit (type STRING))
  (slot period)
  (slot dim (type SYMBOL))
  (slot value))

(deftemplate status
  "A mechanism's status in a row: the diagnosis's mechanism rows."
  (slot row (type STRING))
  (slot unit (type STRING))
  (slot unit-kind (type SYMBOL))
  (slot period)
  (slot dim (type SYMBOL))
  (slot value)
  (slot size (type INTEGER))
  (slot reported (type SYMBOL))
  (slot mechanism (type SYMBOL))
  (slot status (type SYMBOL)
        (allowed-symbols active nascent decaying formal_only broken_down not_evident))
  (slot variant (type SYMBOL) (allowed-symbols nil adversarial associational) (default nil))
  (slot facing (type SYMBOL) (allowed-symbols nil inward outward both) (default nil))
  (slot phase (type SYMBOL) (allowed-symbols nil nascent ascendant mature) (default nil))
  (slot coupling (type SYMBOL) (allowed-symbols nil loose tight) (default nil)))

(deftemplate overlap
  "A relational overlap: a rival dyad inside a wider unit where SC is active."
  (slot type (type SYMBOL))
  (slot dyad (type STRING))
  (slot unit (type STRING))
  (slot period))

(deffacts tallies
  "Tallies every row opens besides one per mechanism."
  (tally-name inward)
  (tally-name outward)
  (tally-name counted)
  (tally-name held-back))

(deffunction conclude (?row ?mechanism ?status ?facing ?phase)
  "Assert the status of ?mechanism in the row fact ?row."
  (assert (status (row (fact-slot-value ?row key))
                  (unit (fact-slot-value ?row unit))
                  (unit-kind (fact-slot-value ?row unit-kind))
                  (period (fact-slot-value ?row period))
                  (dim (fact-slot-value ?row dim))
                  (value (fact-slot-value ?row value))
                  (size (fact-slot-value ?row size))
                  (reported (fact-slot-value ?row reported))
                  (mechanism ?mechanism)
                  (status ?status)
                  (facing ?facing)
                  (phase ?phase))))

(deffunction block (?row)
  "Assert that the row fact ?row is blocked."
  (assert (blocked (row (fact-slot-value ?row key)) (unit (fact-slot-value ?row unit))
                   (period (fact-slot-value ?row period)) (dim (fact-slot-value ?row dim))
                   (value (fact-slot-value ?row value)))))

(deffunction with-distinct (?set ?items)
  "?set followed by the members of ?items it lacks."
  (foreach ?item ?items
    (if (not (member$ ?item ?set)) then (bind ?set (create$ ?set ?item))))
  ?set)

(deffunction shared (?items ?set)
  "How many members of ?items are in ?set."
  (bind ?n 0)
  (foreach ?item ?items
    (if (member$ ?item ?set) then (bind ?n (+ ?n 1))))
  ?n)

(deffunction lost (?before ?now)
  "Members of ?before that ?now lacks."
  (bind ?out (create$))
  (foreach ?item ?before
    (if (not (member$ ?item ?now)) then (bind ?out (create$ ?out ?item))))
  ?out)

;;; ----------------------------------------------------- tallies (absorb)

(defrule name-mechanism-tally
  (declare (salience ?*absorb*))
  (mechanism (name ?m))
  =>
  (assert (tally-name ?m)))

(defrule open-tally
  (declare (salience ?*structure*))
  (row (key ?r))
  (tally-name ?n)
  =>
  (assert (tally (row ?r) (name ?n))))

(defrule tally-kind
  (declare (salience ?*absorb*))
  ?tally <- (tally (row ?r) (name ?n) (kinds $?kinds))
  (counts (row ?r) (name ?n) (kind ?k&:(not (member$ ?k ?kinds))))
  =>
  (modify ?tally (kinds ?kinds ?k)))

(defrule tally-rooted-kind
  (declare (salience ?*absorb*))
  ?tally <- (tally (row ?r) (name ?n) (rooted-kinds $?rooted))
  (counts (row ?r) (name ?n) (kind ?k&:(not (member$ ?k ?rooted))) (rooted TRUE))
  =>
  (modify ?tally (rooted-kinds ?rooted ?k)))

(defrule tally-unrooted-kind
  (declare (salience ?*absorb*))
  ?tally <- (tally (row ?r) (name ?n) (unrooted-kinds $?unrooted))
  (counts (row ?r) (name ?n) (kind ?k&:(not (member$ ?k ?unrooted))) (rooted FALSE))
  =>
  (modify ?tally (unrooted-kinds ?unrooted ?k)))

(defrule open-rivalries
  (declare (salience ?*absorb*))
  (rival (row ?r))
  (not (rivalries (row ?r)))
  =>
  (assert (rivalries (row ?r))))

(defrule absorb-rival
  (declare (salience ?*absorb*))
  ?rivalries <- (rivalries (row ?r) (dyads $?dyads) (states $?states))
  (rival (row ?r) (dyad ?d&:(not (member$ ?d ?dyads))) (states $?pair))
  =>
  (modify ?rivalries (dyads ?dyads ?d) (states (with-distinct ?states ?pair))))

;;; ---------------------------------------------------------------- kinds

(defrule count-mechanism-kind
  "Section 3: an entry covers a unit when its actors include every state of the unit; each mechanism
   counts the distinct kinds of the entries that cover the row (rooted and unrooted apart)."
  (declare (salience ?*kinds*))
  (evidence (row ?r) (covers TRUE) (kinds $? ?k $?) (rooted ?rooted))
  (vocabulary (kind ?k) (mechanism ?m))
  (mechanism (name ?m))
  =>
  (assert (counts (row ?r) (name ?m) (kind ?k) (rooted ?rooted))))

(defrule count-inward-pair
  "Inward: `between` and two-state entries, directed entries and wars act on their pairs; never an alliance
   (the `alliances` section, or an alliance of expediency among the practices); unrooted entries count
   toward no balance-of-power threshold."
  (declare (salience ?*kinds*))
  (evidence (row ?r) (covers TRUE) (rooted TRUE) (section ?s&~alliances) (form ?f) (size ?n)
            (kinds $? ?k&:(not (member$ ?k ?*alliance*)) $?))
  (test (or (member$ ?f (create$ between directed sides)) (= ?n 2)))
  (vocabulary (kind ?k) (mechanism balance_of_power))
  =>
  (assert (counts (row ?r) (name inward) (kind ?k) (rooted TRUE))))

(defrule count-inward-mutual
  "Inward: an `among` entry with `mutual: true` acts on every pair of its states (an alliance never does)."
  (declare (salience ?*kinds*))
  (evidence (row ?r) (covers TRUE) (rooted TRUE) (mutual TRUE) (section ?s&~alliances)
            (kinds $? ?k&:(not (member$ ?k ?*alliance*)) $?))
  (vocabulary (kind ?k) (mechanism balance_of_power))
  =>
  (assert (counts (row ?r) (name inward) (kind ?k) (rooted TRUE))))

(defrule count-inward-arch
  "Inward: concert and peace-conference entries act among their participants (the arch)."
  (declare (salience ?*kinds*))
  (evidence (row ?r) (covers TRUE) (rooted TRUE) (section ?s&~alliances)
            (kinds $? ?k&:(member$ ?k ?*associational*) $?))
  (vocabulary (kind ?k) (mechanism balance_of_power))
  =>
  (assert (counts (row ?r) (name inward) (kind ?k) (rooted TRUE))))

(defrule count-outward-alliance
  "Outward: an alliance always faces outward from a unit all of whose states are members, whether the file
   gives it in `alliances` or as an `alliance_of_expediency` practice (section 2: the same kind)."
  (declare (salience ?*kinds*))
  (row (key ?r) (unit-kind ~dyad))
  (evidence (row ?r) (acting-covers TRUE) (rooted TRUE) (kinds $? ?k&:(member$ ?k ?*alliance*) $?))
  (vocabulary (kind ?k) (mechanism balance_of_power))
  =>
  (assert (counts (row ?r) (name outward) (kind ?k) (rooted TRUE))))

(defrule count-outward-collective
  "Outward: an `among` entry of three or more states without `mutual: true` is their collective practice
   (concert and peace-conference entries excepted: they are always among their participants)."
  (declare (salience ?*kinds*))
  (row (key ?r) (unit-kind ~dyad))
  (evidence (row ?r) (section ?s&~alliances) (form among | members) (mutual FALSE) (acting-covers TRUE)
            (rooted TRUE) (size ?n&:(> ?n 2)) (kinds $?kinds))
  (test (= (shared ?kinds ?*associational*) 0))
  (vocabulary (kind ?k&:(member$ ?k ?kinds)) (mechanism balance_of_power))
  =>
  (assert (counts (row ?r) (name outward) (kind ?k) (rooted TRUE))))

(defrule count-outward-directed
  "Outward: a directed entry or a war seen from a unit all of whose states are on one side, none on the other."
  (declare (salience ?*kinds*))
  (row (key ?r) (unit-kind ~dyad))
  (evidence (row ?r) (form directed | sides) (acting-covers TRUE) (target-outside TRUE) (rooted TRUE)
            (kinds $? ?k $?))
  (vocabulary (kind ?k) (mechanism balance_of_power))
  =>
  (assert (counts (row ?r) (name outward) (kind ?k) (rooted TRUE))))

(defrule war-between-dyad
  "A war or armed conflict across a dyad's two states, in the period of its row of all practices."
  (declare (salience ?*kinds*))
  (row (key ?r) (unit ?u) (unit-kind dyad) (period ?p) (dim nil))
  (evidence (row ?r) (covers TRUE) (section wars) (level ?l&:(member$ ?l ?*violent*)))
  =>
  (assert (violence (unit ?u) (period ?p))))

;;; ------------------------------------------------------- dyads balance (4a)

(defrule dyad-balances-by-kinds
  "Case 4a: at least bop_min_kinds distinct kinds acting inward on the pair, one of them not a concert
   or peace conference."
  (declare (salience ?*dyad-balancing*))
  (row (key ?r) (unit-kind dyad))
  (tally (row ?r) (name inward) (kinds $?kinds))
  (threshold (name bop_min_kinds) (value ?needed&:(>= (length$ ?kinds) ?needed)))
  (test (> (length$ (lost ?kinds ?*associational*)) 0))
  =>
  (assert (balancing (row ?r) (facing inward))))

(defrule dyad-balances-by-war
  "Case 4a: a war or armed conflict between the dyad's two states (in the row of the war's slice)."
  (declare (salience ?*dyad-balancing*))
  (row (key ?r) (unit-kind dyad))
  (evidence (row ?r) (covers TRUE) (section wars) (level ?l&:(member$ ?l ?*violent*)))
  =>
  (assert (balancing (row ?r) (facing inward))))

(defrule dyad-bop-active
  "Case 4a: a dyad's balance always faces inward."
  (declare (salience ?*dyad-status*))
  ?row <- (row (key ?r) (unit-kind dyad))
  (balancing (row ?r) (facing inward))
  (not (status (row ?r) (mechanism balance_of_power)))
  =>
  (conclude ?row balance_of_power active inward nil))

;;; ------------------------------------------------ inside the larger units

(defrule rival-dyad-inside
  "A rival dyad is any pair of a unit's states whose own balance of power is active (row by row)."
  (declare (salience ?*inside*))
  (row (key ?r) (unit ?u) (unit-kind ~dyad) (period ?p) (dim ?d) (value ?v))
  (contains (dyad ?dyad) (unit ?u))
  (status (unit ?dyad) (period ?p) (dim ?d) (value ?v) (mechanism balance_of_power) (status active)
          (row ?dyad-row))
  (row (key ?dyad-row) (states $?pair))
  =>
  (assert (rival (row ?r) (dyad ?dyad) (states ?pair))))

(defrule war-inside-unit
  "Case 1(a): war or armed conflict between any two of a larger unit's states."
  (declare (salience ?*inside*))
  (row (unit ?u) (unit-kind ~dyad) (period ?p) (dim nil))
  (contains (dyad ?dyad) (unit ?u))
  (violence (unit ?dyad) (period ?p))
  =>
  (assert (violence (unit ?u) (period ?p))))

;;; --------------------------------------------- larger units balance (4b, 4c)

(defrule unit-balances-by-rival-dyads
  "Case 4b: rival dyads that together involve at least bop_dyad_share of the unit's states."
  (declare (salience ?*larger-balancing*))
  (row (key ?r) (unit-kind ~dyad) (size ?size))
  (rivalries (row ?r) (states $?states))
  (threshold (name bop_dyad_share) (value ?share&:(>= (length$ ?states) (* ?share ?size))))
  =>
  (assert (balancing (row ?r) (facing inward))))

(defrule unit-balances-inward-by-kinds
  "Case 4b: at least bop_min_kinds distinct kinds in inward entries that cover the unit."
  (declare (salience ?*larger-balancing*))
  (row (key ?r) (unit-kind ~dyad))
  (tally (row ?r) (name inward) (kinds $?kinds))
  (threshold (name bop_min_kinds) (value ?needed&:(>= (length$ ?kinds) ?needed)))
  =>
  (assert (balancing (row ?r) (facing inward))))

(defrule unit-balances-outward-by-kinds
  "Case 4c: at least bop_min_kinds distinct kinds in entries that face outward from the unit."
  (declare (salience ?*larger-balancing*))
  (row (key ?r) (unit-kind ~dyad))
  (tally (row ?r) (name outward) (kinds $?kinds))
  (threshold (name bop_min_kinds) (value ?needed&:(>= (length$ ?kinds) ?needed)))
  =>
  (assert (balancing (row ?r) (facing outward))))

(defrule unit-balances-outward-by-war
  "Case 4c: a war in which one side includes every state of the unit and the other none."
  (declare (salience ?*larger-balancing*))
  (row (key ?r) (unit-kind ~dyad))
  (evidence (row ?r) (section wars) (form directed | sides) (acting-covers TRUE) (target-outside TRUE)
            (level ?l&:(member$ ?l ?*violent*)))
  =>
  (assert (balancing (row ?r) (facing outward))))

(defrule unit-bop-active-inward
  (declare (salience ?*larger-status*))
  ?row <- (row (key ?r) (unit-kind ~dyad))
  (balancing (row ?r) (facing inward))
  (not (balancing (row ?r) (facing outward)))
  (not (status (row ?r) (mechanism balance_of_power)))
  =>
  (conclude ?row balance_of_power active inward nil))

(defrule unit-bop-active-outward
  (declare (salience ?*larger-status*))
  ?row <- (row (key ?r) (unit-kind ~dyad))
  (balancing (row ?r) (facing outward))
  (not (balancing (row ?r) (facing inward)))
  (not (status (row ?r) (mechanism balance_of_power)))
  =>
  (conclude ?row balance_of_power active outward nil))

(defrule unit-bop-active-both
  (declare (salience ?*larger-status*))
  ?row <- (row (key ?r) (unit-kind ~dyad))
  (balancing (row ?r) (facing inward))
  (balancing (row ?r) (facing outward))
  (not (status (row ?r) (mechanism balance_of_power)))
  =>
  (conclude ?row balance_of_power active both nil))

;;; ------------------------------------------------------ blocked (case 1)

(defrule blocked-by-war
  "Case 1(a): a war between two of the unit's states blocks every row (every slice) of that period."
  (declare (salience ?*blocked*))
  ?row <- (row (unit ?u) (period ?p))
  (violence (unit ?u) (period ?p))
  =>
  (block ?row))

(defrule blocked-by-dyad-balance
  "Case 1(b), a dyad: its own balance of power is active (in the row's slice)."
  (declare (salience ?*blocked*))
  ?row <- (row (key ?r) (unit-kind dyad))
  (status (row ?r) (mechanism balance_of_power) (status active))
  =>
  (block ?row))

(defrule blocked-by-rival-dyads
  "Case 1(b), a larger unit: its rival dyads involve more than sc_block_share of its states."
  (declare (salience ?*blocked*))
  ?row <- (row (key ?r) (unit-kind ~dyad) (size ?size))
  (rivalries (row ?r) (states $?states))
  (threshold (name sc_block_share) (value ?share&:(> (length$ ?states) (* ?share ?size))))
  =>
  (block ?row))

(defrule blocked-by-inward-kinds
  "Case 1(b), a larger unit: at least bop_min_kinds inward kinds in entries that cover it."
  (declare (salience ?*blocked*))
  ?row <- (row (key ?r) (unit-kind ~dyad))
  (tally (row ?r) (name inward) (kinds $?kinds))
  (threshold (name bop_min_kinds) (value ?needed&:(>= (length$ ?kinds) ?needed)))
  =>
  (block ?row))

;;; ----------------------------------------------- community kinds (case 1)

(defrule count-community-kind
  "Case 1: a rooted SC entry counts toward `active` unless its own states, taken as a unit, are blocked
   in that period (the same slice)."
  (declare (salience ?*community-kinds*))
  (row (key ?r) (period ?p) (dim ?d) (value ?v))
  (evidence (row ?r) (covers TRUE) (rooted TRUE) (own-unit ?own) (kinds $? ?k $?))
  (vocabulary (kind ?k) (mechanism security_community))
  (not (blocked (unit ?own) (period ?p) (dim ?d) (value ?v)))
  =>
  (assert (counts (row ?r) (name counted) (kind ?k) (rooted TRUE))))

(defrule hold-back-community-kind
  "Case 1: an SC entry of states that prepare for violence against each other counts only toward nascent."
  (declare (salience ?*community-kinds*))
  (row (key ?r) (period ?p) (dim ?d) (value ?v))
  (evidence (row ?r) (covers TRUE) (rooted TRUE) (own-unit ?own) (kinds $? ?k $?))
  (vocabulary (kind ?k) (mechanism security_community))
  (blocked (unit ?own) (period ?p) (dim ?d) (value ?v))
  =>
  (assert (counts (row ?r) (name held-back) (kind ?k) (rooted TRUE))))

;;; ----------------------------------------------- security community status

(defrule sc-active
  "Case 1: at least sc_min_kinds counted kinds; no war and no preparation for violence among the states."
  (declare (salience ?*sc-active*))
  ?row <- (row (key ?r) (unit ?u) (period ?p))
  (tally (row ?r) (name counted) (rooted-kinds $?kinds))
  (threshold (name sc_min_kinds) (value ?needed&:(>= (length$ ?kinds) ?needed)))
  (not (violence (unit ?u) (period ?p)))
  (not (blocked (row ?r)))
  (not (status (row ?r) (mechanism security_community)))
  =>
  (conclude ?row security_community active nil nil))

(defrule sc-broken-down
  "Case 2: active in the immediately previous period; war or armed conflict between its states now."
  (declare (salience ?*breakdown*))
  ?row <- (row (key ?r) (unit ?u) (period ?p) (dim ?d) (value ?v))
  (violence (unit ?u) (period ?p))
  (period-after (earlier ?before) (later ?p))
  (status (unit ?u) (period ?before) (dim ?d) (value ?v) (mechanism security_community) (status active))
  (not (status (row ?r) (mechanism security_community)))
  =>
  (conclude ?row security_community broken_down nil nil))

(defrule sc-decaying
  "Case 3: active in the immediately previous period, not active now, without war between its states."
  (declare (salience ?*decay*))
  ?row <- (row (key ?r) (unit ?u) (period ?p) (dim ?d) (value ?v))
  (period-after (earlier ?before) (later ?p))
  (status (unit ?u) (period ?before) (dim ?d) (value ?v) (mechanism security_community) (status active))
  (not (violence (unit ?u) (period ?p)))
  (not (status (row ?r) (mechanism security_community)))
  =>
  (conclude ?row security_community decaying nil nil))

(defrule sc-formal-only-at-war
  "Case 6: SC practices alongside war or armed conflict between the unit's states."
  (declare (salience ?*formal-at-war*))
  ?row <- (row (key ?r) (unit ?u) (period ?p))
  (tally (row ?r) (name security_community) (kinds ? $?))
  (violence (unit ?u) (period ?p))
  (not (status (row ?r) (mechanism security_community)))
  =>
  (conclude ?row security_community formal_only nil nil))

(defrule sc-nascent
  "Case 5: no war among its states, and at least sc_nascent_min_kinds distinct rooted SC kinds."
  (declare (salience ?*nascent*))
  ?row <- (row (key ?r) (unit ?u) (period ?p))
  (tally (row ?r) (name security_community) (rooted-kinds $?kinds))
  (threshold (name sc_nascent_min_kinds) (value ?least&:(>= (length$ ?kinds) ?least)))
  (not (violence (unit ?u) (period ?p)))
  (not (status (row ?r) (mechanism security_community)))
  =>
  (conclude ?row security_community nascent nil nascent))

(defrule sc-formal-only-unrooted
  "Case 6: SC practices that are not rooted."
  (declare (salience ?*formal-unrooted*))
  ?row <- (row (key ?r))
  (tally (row ?r) (name security_community) (unrooted-kinds ? $?))
  (not (status (row ?r) (mechanism security_community)))
  =>
  (conclude ?row security_community formal_only nil nil))

;;; ------------------------------------------------------------ not evident

(defrule not-evident
  "Case 12: on a reported row of all practices, of a declared unit or of a dyad with some evidence."
  (declare (salience ?*not-evident*))
  ?row <- (row (key ?r) (dim nil) (declared ?declared) (reported TRUE))
  (mechanism (name ?m))
  (tally (row ?r) (name ?m) (kinds $?kinds))
  (test (or (neq ?declared nil) (> (length$ ?kinds) 0)))
  (not (status (row ?r) (mechanism ?m)))
  =>
  (conclude ?row ?m not_evident nil nil))

;;; ------------------------------------------ variant, phase and coupling

(defrule bop-associational
  "Case 4: a rooted concert or peace-conference entry covers the unit, and no war divides its states."
  (declare (salience ?*refine*))
  ?status <- (status (row ?r) (unit ?u) (period ?p) (mechanism balance_of_power) (status active) (variant nil))
  (evidence (row ?r) (covers TRUE) (rooted TRUE) (kinds $? ?k&:(member$ ?k ?*associational*) $?))
  (vocabulary (kind ?k) (mechanism balance_of_power))
  (not (violence (unit ?u) (period ?p)))
  =>
  (modify ?status (variant associational)))

(defrule bop-adversarial
  "Case 4: otherwise adversarial."
  (declare (salience ?*refine-default*))
  ?status <- (status (mechanism balance_of_power) (status active) (variant nil))
  =>
  (modify ?status (variant adversarial)))

(defrule sc-mature
  "Case 1: active now and in the immediately previous period."
  (declare (salience ?*refine*))
  ?status <- (status (unit ?u) (period ?p) (dim ?d) (value ?v) (mechanism security_community) (status active)
                     (phase nil))
  (period-after (earlier ?before) (later ?p))
  (status (unit ?u) (period ?before) (dim ?d) (value ?v) (mechanism security_community) (status active))
  =>
  (modify ?status (phase mature)))

(defrule sc-ascendant
  "Case 1: active now, not active in the immediately previous period (no previous period: no phase)."
  (declare (salience ?*refine*))
  ?status <- (status (unit ?u) (period ?p) (dim ?d) (value ?v) (mechanism security_community) (status active)
                     (phase nil))
  (period-after (earlier ?before) (later ?p))
  (not (status (unit ?u) (period ?before) (dim ?d) (value ?v) (mechanism security_community) (status active)))
  =>
  (modify ?status (phase ascendant)))

(defrule sc-coupling
  "Case 1: tight with at least sc_tight_min_kinds counted kinds of a tight community, else loose."
  (declare (salience ?*refine*))
  ?status <- (status (row ?r) (mechanism security_community) (status active) (coupling nil))
  (tally (row ?r) (name counted) (rooted-kinds $?kinds))
  (threshold (name sc_tight_min_kinds) (value ?needed))
  =>
  (bind ?coupling loose)
  (if (>= (shared ?kinds ?*tight*) ?needed) then (bind ?coupling tight))
  (modify ?status (coupling ?coupling)))

;;; ---------------------------------------------------- relational overlap

(defrule relational-overlap
  "Case 7: a rival dyad, named by some entry, inside a wider reported unit where SC is active then."
  (declare (salience ?*overlaps*))
  (status (unit ?dyad) (unit-kind dyad) (period ?p) (dim nil) (reported TRUE) (mechanism balance_of_power)
          (status active))
  (contains (dyad ?dyad) (unit ?container))
  (status (unit ?container) (period ?p) (dim nil) (reported TRUE) (size ?size&:(> ?size 2))
          (mechanism security_community) (status active))
  =>
  (assert (overlap (type relational) (dyad ?dyad) (unit ?container) (period ?p))))
