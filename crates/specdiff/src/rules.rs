//! The catalogue of rules: each change found is reported under one of these stable ids, at the
//! rule's level. Levels take the point of view of a client built against the base spec.

use serde::Serialize;

/// How much a change matters to an existing client.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    /// Nothing an existing client relies on changed.
    Info,
    /// An existing client may break, depending on how it uses the API.
    Warning,
    /// An existing client breaks.
    Breaking,
}

impl Level {
    /// `breaking`, `warning` or `info`: the names used in every output format.
    pub fn name(self) -> &'static str {
        match self {
            Self::Info => "info",
            Self::Warning => "warning",
            Self::Breaking => "breaking",
        }
    }
}

/// Where a rule's id comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Origin {
    /// oasdiff reports this change under the same id, at the same default level.
    Oasdiff,
    /// oasdiff has the id, with this default level; this tool's level differs, on purpose (a
    /// client's view: the summary or the consequence for the generated Rust client says why).
    OasdiffAt(Level),
    /// This tool's own id: oasdiff does not report the change, or not under one id.
    Own,
}

impl Origin {
    /// How the rule table shows it: `oasdiff`, `oasdiff (info there)` or `own`.
    pub fn name(self) -> &'static str {
        match self {
            Self::Oasdiff => "oasdiff",
            Self::OasdiffAt(Level::Info) => "oasdiff (info there)",
            Self::OasdiffAt(Level::Warning) => "oasdiff (warning there)",
            Self::OasdiffAt(Level::Breaking) => "oasdiff (breaking there)",
            Self::Own => "own",
        }
    }
}

/// One kind of change, with a stable id and a fixed level.
#[derive(Debug, PartialEq, Eq, Hash)]
pub struct Rule {
    /// Stable, kebab-case id, as in oasdiff (`request-parameter-became-required`).
    pub id: &'static str,
    /// How much the change matters.
    pub level: Level,
    /// What the rule detects, in one sentence.
    pub summary: &'static str,
    /// Whether oasdiff has the same rule.
    pub origin: Origin,
}

macro_rules! rules {
    ($($name:ident $id:literal $level:ident $origin:ident $(($at:ident))? $summary:literal;)*) => {
        $(
            #[doc = $summary]
            pub const $name: Rule = Rule {
                id: $id,
                level: Level::$level,
                summary: $summary,
                origin: Origin::$origin $((Level::$at))?,
            };
        )*
        /// Every rule, in the order they are documented.
        pub const RULES: &[&Rule] = &[$(&$name),*];
    };
}

rules! {
    ENDPOINT_ADDED "endpoint-added" Info Oasdiff "An operation was added.";
    API_PATH_REMOVED_WITHOUT_DEPRECATION "api-path-removed-without-deprecation" Breaking Oasdiff "A path was removed, with its operations, without being deprecated first.";
    API_REMOVED_WITHOUT_DEPRECATION "api-removed-without-deprecation" Breaking Oasdiff "An operation was removed without being deprecated first.";
    API_PATH_REMOVED_BEFORE_SUNSET "api-path-removed-before-sunset" Breaking Oasdiff "A deprecated path was removed before its `x-sunset` date.";
    API_REMOVED_BEFORE_SUNSET "api-removed-before-sunset" Breaking Oasdiff "A deprecated operation was removed before its `x-sunset` date.";
    API_PATH_REMOVED_WITH_DEPRECATION "api-path-removed-with-deprecation" Info Oasdiff "A deprecated path was removed (after its `x-sunset` date, if it had one).";
    API_REMOVED_WITH_DEPRECATION "api-removed-with-deprecation" Info Oasdiff "A deprecated operation was removed (after its `x-sunset` date, if it had one).";
    ENDPOINT_DEPRECATED "endpoint-deprecated" Info Oasdiff "An operation was marked deprecated.";
    ENDPOINT_REACTIVATED "endpoint-reactivated" Info Oasdiff "An operation is no longer deprecated.";
    API_OPERATION_ID_REMOVED "api-operation-id-removed" Warning OasdiffAt(Info) "An operationId was removed or replaced, renaming the operation in generated clients.";
    API_OPERATION_ID_ADDED "api-operation-id-added" Info Oasdiff "An operation without an operationId got one.";
    NEW_REQUIRED_REQUEST_PARAMETER "new-required-request-parameter" Breaking Oasdiff "A required parameter was added.";
    NEW_OPTIONAL_REQUEST_PARAMETER "new-optional-request-parameter" Info Oasdiff "An optional parameter was added.";
    NEW_REQUEST_PATH_PARAMETER "new-request-path-parameter" Breaking Oasdiff "A path parameter was declared where the operation had none of that name: the URL clients build changes.";
    NEW_REQUIRED_REQUEST_DEFAULT_PARAMETER_TO_EXISTING_PATH "new-required-request-default-parameter-to-existing-path" Breaking Oasdiff "A required parameter was added for a whole path, so to every operation under it.";
    NEW_OPTIONAL_REQUEST_DEFAULT_PARAMETER_TO_EXISTING_PATH "new-optional-request-default-parameter-to-existing-path" Info Oasdiff "An optional parameter was added for a whole path, so to every operation under it.";
    REQUEST_PARAMETER_REMOVED "request-parameter-removed" Warning Oasdiff "A parameter was removed; clients still sending it may be refused.";
    REQUEST_PARAMETER_BECAME_REQUIRED "request-parameter-became-required" Breaking Oasdiff "An optional parameter became required.";
    REQUEST_PARAMETER_BECAME_OPTIONAL "request-parameter-became-optional" Info Oasdiff "A required parameter became optional.";
    REQUEST_PARAMETER_LOCATION_CHANGED "request-parameter-location-changed" Breaking Own "A parameter moved (for example from the query to a header).";
    REQUEST_PATH_PARAMETER_RENAMED "request-path-parameter-renamed" Info Own "A path parameter was renamed; the URL is unchanged.";
    REQUEST_PARAMETER_TYPE_CHANGED "request-parameter-type-changed" Breaking Oasdiff "A parameter's type or format changed so that some values it accepted are refused.";
    REQUEST_PARAMETER_TYPE_GENERALIZED "request-parameter-type-generalized" Info Oasdiff "A parameter accepts a wider type (integer to number, a value or a list of it).";
    REQUEST_PARAMETER_ENUM_VALUE_REMOVED "request-parameter-enum-value-removed" Breaking Oasdiff "A parameter no longer accepts an enum value.";
    REQUEST_PARAMETER_ENUM_VALUE_ADDED "request-parameter-enum-value-added" Info Oasdiff "A parameter accepts a new enum value.";
    REQUEST_PARAMETER_DEPRECATED "request-parameter-deprecated" Info Oasdiff "A parameter was marked deprecated.";
    REQUEST_PARAMETER_DEPRECATED_SUNSET_MISSING "request-parameter-deprecated-sunset-missing" Breaking Oasdiff "A parameter was deprecated without an `x-sunset` date, where `--deprecation-days` asks for one.";
    REQUEST_PARAMETER_SUNSET_DATE_TOO_SMALL "request-parameter-sunset-date-too-small" Breaking Oasdiff "A parameter was deprecated with an `x-sunset` date fewer than `--deprecation-days` days ahead (by default, one already passed).";
    REQUEST_PARAMETER_SUNSET_DATE_CHANGED_TOO_SMALL "request-parameter-sunset-date-changed-too-small" Breaking Oasdiff "A deprecated parameter's `x-sunset` moved earlier, to fewer than `--deprecation-days` days ahead (by default, to a date already passed).";
    REQUEST_BODY_ADDED_REQUIRED "request-body-added-required" Breaking Oasdiff "A required request body was added.";
    REQUEST_BODY_ADDED_OPTIONAL "request-body-added-optional" Info Oasdiff "An optional request body was added.";
    REQUEST_BODY_REMOVED "request-body-removed" Breaking Oasdiff "The request body was removed; clients still sending one are refused.";
    REQUEST_BODY_BECAME_REQUIRED "request-body-became-required" Breaking Oasdiff "An optional request body became required.";
    REQUEST_BODY_BECAME_OPTIONAL "request-body-became-optional" Info Oasdiff "A required request body became optional.";
    REQUEST_BODY_MEDIA_TYPE_REMOVED "request-body-media-type-removed" Breaking Oasdiff "The request body no longer accepts a media type.";
    REQUEST_BODY_MEDIA_TYPE_ADDED "request-body-media-type-added" Info Oasdiff "The request body accepts a new media type.";
    NEW_REQUIRED_REQUEST_PROPERTY "new-required-request-property" Breaking Oasdiff "A required property was added to the request body.";
    NEW_REQUIRED_REQUEST_PROPERTY_WITH_DEFAULT "new-required-request-property-with-default" Warning Oasdiff "A required property with a default was added to the request body: whether a request without it is refused depends on the server, which the spec does not say.";
    NEW_OPTIONAL_REQUEST_PROPERTY "new-optional-request-property" Info Oasdiff "An optional property was added to the request body.";
    REQUEST_PROPERTY_REMOVED "request-property-removed" Warning Oasdiff "A request body property was removed; clients still sending it may be refused.";
    REQUEST_PROPERTY_BECAME_REQUIRED "request-property-became-required" Breaking Oasdiff "An optional request body property became required.";
    REQUEST_PROPERTY_BECAME_REQUIRED_WITH_DEFAULT "request-property-became-required-with-default" Warning Oasdiff "An optional request body property with a default became required: whether a request without it is refused depends on the server.";
    NEW_REQUIRED_REQUEST_HEADER_PROPERTY "new-required-request-header-property" Breaking Oasdiff "A required property was added to an object header parameter.";
    REQUEST_HEADER_PROPERTY_BECAME_REQUIRED "request-header-property-became-required" Breaking Oasdiff "A property of an object header parameter became required.";
    REQUEST_PROPERTY_BECAME_OPTIONAL "request-property-became-optional" Info Oasdiff "A required request body property became optional.";
    REQUEST_PROPERTY_TYPE_CHANGED "request-property-type-changed" Breaking Oasdiff "A request body property's type or format changed so that some values it accepted are refused.";
    REQUEST_PROPERTY_TYPE_GENERALIZED "request-property-type-generalized" Info Oasdiff "A request body property accepts a wider type (integer to number, a value or a list of it).";
    REQUEST_PROPERTY_TYPE_COMPATIBLE "request-property-type-compatible" Info Oasdiff "A request body property of a media type that is not JSON (XML, a form, text) became a string: anything sent as text still passes.";
    REQUEST_PROPERTY_BECAME_NULLABLE "request-property-became-nullable" Info Oasdiff "A request body property accepts null.";
    REQUEST_PROPERTY_BECAME_NOT_NULLABLE "request-property-became-not-nullable" Breaking Oasdiff "A request body property no longer accepts null.";
    REQUEST_PROPERTY_ONE_OF_ADDED "request-property-one-of-added" Info Oasdiff "A request body property accepts a new `oneOf` alternative.";
    REQUEST_PROPERTY_ONE_OF_REMOVED "request-property-one-of-removed" Breaking Oasdiff "A request body property no longer accepts a `oneOf` alternative.";
    REQUEST_PROPERTY_ENUM_VALUE_REMOVED "request-property-enum-value-removed" Breaking Oasdiff "A request body property no longer accepts an enum value.";
    REQUEST_PROPERTY_ENUM_VALUE_ADDED "request-property-enum-value-added" Info Oasdiff "A request body property accepts a new enum value.";
    REQUEST_PARAMETER_MAX_DECREASED "request-parameter-max-decreased" Breaking Oasdiff "A parameter's maximum was lowered: some values it accepted are refused.";
    REQUEST_PARAMETER_MAX_INCREASED "request-parameter-max-increased" Info Oasdiff "A parameter's maximum was raised or removed.";
    REQUEST_PARAMETER_MIN_INCREASED "request-parameter-min-increased" Breaking Oasdiff "A parameter's minimum was raised: some values it accepted are refused.";
    REQUEST_PARAMETER_MIN_DECREASED "request-parameter-min-decreased" Info Oasdiff "A parameter's minimum was lowered or removed.";
    REQUEST_PARAMETER_EXCLUSIVE_MAX_DECREASED "request-parameter-exclusive-max-decreased" Breaking Oasdiff "A parameter's exclusive maximum was lowered: some values it accepted are refused.";
    REQUEST_PARAMETER_EXCLUSIVE_MAX_INCREASED "request-parameter-exclusive-max-increased" Info Oasdiff "A parameter's exclusive maximum was raised or removed.";
    REQUEST_PARAMETER_EXCLUSIVE_MIN_INCREASED "request-parameter-exclusive-min-increased" Breaking Oasdiff "A parameter's exclusive minimum was raised: some values it accepted are refused.";
    REQUEST_PARAMETER_EXCLUSIVE_MIN_DECREASED "request-parameter-exclusive-min-decreased" Info Oasdiff "A parameter's exclusive minimum was lowered or removed.";
    REQUEST_PARAMETER_MAX_LENGTH_DECREASED "request-parameter-max-length-decreased" Breaking Oasdiff "A parameter's maximum length was lowered: some values it accepted are refused.";
    REQUEST_PARAMETER_MAX_LENGTH_INCREASED "request-parameter-max-length-increased" Info Oasdiff "A parameter's maximum length was raised or removed.";
    REQUEST_PARAMETER_MIN_LENGTH_INCREASED "request-parameter-min-length-increased" Breaking Oasdiff "A parameter's minimum length was raised or newly set: some values it accepted are refused.";
    REQUEST_PARAMETER_MIN_LENGTH_DECREASED "request-parameter-min-length-decreased" Info Oasdiff "A parameter's minimum length was lowered or removed.";
    REQUEST_PARAMETER_MAX_ITEMS_DECREASED "request-parameter-max-items-decreased" Breaking Oasdiff "A parameter's maximum number of items was lowered or newly set: some values it accepted are refused.";
    REQUEST_PARAMETER_MAX_ITEMS_INCREASED "request-parameter-max-items-increased" Info Oasdiff "A parameter's maximum number of items was raised or removed.";
    REQUEST_PARAMETER_MIN_ITEMS_INCREASED "request-parameter-min-items-increased" Breaking Oasdiff "A parameter's minimum number of items was raised: some values it accepted are refused.";
    REQUEST_PARAMETER_MIN_ITEMS_DECREASED "request-parameter-min-items-decreased" Info Oasdiff "A parameter's minimum number of items was lowered or removed.";
    REQUEST_PARAMETER_PATTERN_ADDED "request-parameter-pattern-added" Breaking Oasdiff "A parameter must now match a `pattern`.";
    REQUEST_PARAMETER_PATTERN_CHANGED "request-parameter-pattern-changed" Warning Oasdiff "A parameter's `pattern` changed; values that matched the old one may not match the new.";
    REQUEST_PARAMETER_PATTERN_REMOVED "request-parameter-pattern-removed" Info Oasdiff "A parameter no longer has to match a `pattern`.";
    REQUEST_PARAMETER_BECAME_ENUM "request-parameter-became-enum" Breaking Oasdiff "A parameter was restricted to a list of enum values.";
    REQUEST_PROPERTY_MAX_DECREASED "request-property-max-decreased" Breaking Oasdiff "A request body property's maximum was lowered: some values it accepted are refused.";
    REQUEST_PROPERTY_MAX_INCREASED "request-property-max-increased" Info Oasdiff "A request body property's maximum was raised or removed.";
    REQUEST_PROPERTY_MIN_INCREASED "request-property-min-increased" Breaking Oasdiff "A request body property's minimum was raised: some values it accepted are refused.";
    REQUEST_PROPERTY_MIN_DECREASED "request-property-min-decreased" Info Oasdiff "A request body property's minimum was lowered or removed.";
    REQUEST_PROPERTY_EXCLUSIVE_MAX_DECREASED "request-property-exclusive-max-decreased" Breaking Oasdiff "A request body property's exclusive maximum was lowered: some values it accepted are refused.";
    REQUEST_PROPERTY_EXCLUSIVE_MAX_INCREASED "request-property-exclusive-max-increased" Info Oasdiff "A request body property's exclusive maximum was raised or removed.";
    REQUEST_PROPERTY_EXCLUSIVE_MIN_INCREASED "request-property-exclusive-min-increased" Breaking Oasdiff "A request body property's exclusive minimum was raised: some values it accepted are refused.";
    REQUEST_PROPERTY_EXCLUSIVE_MIN_DECREASED "request-property-exclusive-min-decreased" Info Oasdiff "A request body property's exclusive minimum was lowered or removed.";
    REQUEST_PROPERTY_MAX_LENGTH_DECREASED "request-property-max-length-decreased" Breaking Oasdiff "A request body property's maximum length was lowered: some values it accepted are refused.";
    REQUEST_PROPERTY_MAX_LENGTH_INCREASED "request-property-max-length-increased" Info Oasdiff "A request body property's maximum length was raised or removed.";
    REQUEST_PROPERTY_MIN_LENGTH_INCREASED "request-property-min-length-increased" Breaking Oasdiff "A request body property's minimum length was raised or newly set: some values it accepted are refused.";
    REQUEST_PROPERTY_MIN_LENGTH_DECREASED "request-property-min-length-decreased" Info Oasdiff "A request body property's minimum length was lowered or removed.";
    REQUEST_PROPERTY_MAX_ITEMS_DECREASED "request-property-max-items-decreased" Breaking Oasdiff "A request body property's maximum number of items was lowered: some values it accepted are refused.";
    REQUEST_PROPERTY_MAX_ITEMS_INCREASED "request-property-max-items-increased" Info Oasdiff "A request body property's maximum number of items was raised or removed.";
    REQUEST_PROPERTY_MIN_ITEMS_INCREASED "request-property-min-items-increased" Breaking Oasdiff "A request body property's minimum number of items was raised: some values it accepted are refused.";
    REQUEST_PROPERTY_MIN_ITEMS_DECREASED "request-property-min-items-decreased" Info Oasdiff "A request body property's minimum number of items was lowered or removed.";
    REQUEST_PROPERTY_PATTERN_ADDED "request-property-pattern-added" Breaking Oasdiff "A request body property must now match a `pattern`.";
    REQUEST_PROPERTY_PATTERN_CHANGED "request-property-pattern-changed" Warning Oasdiff "A request body property's `pattern` changed; values that matched the old one may not match the new.";
    REQUEST_PROPERTY_PATTERN_REMOVED "request-property-pattern-removed" Info Oasdiff "A request body property no longer has to match a `pattern`.";
    REQUEST_PROPERTY_BECAME_ENUM "request-property-became-enum" Breaking Oasdiff "A request body property was restricted to a list of enum values.";
    REQUEST_HEADER_PROPERTY_BECAME_ENUM "request-header-property-became-enum" Breaking Oasdiff "A property of an object header parameter was restricted to a list of enum values.";
    RESPONSE_PROPERTY_MAX_INCREASED "response-property-max-increased" Warning OasdiffAt(Breaking) "A response property's maximum was raised or removed: clients may read values they did not expect.";
    RESPONSE_PROPERTY_MIN_DECREASED "response-property-min-decreased" Warning OasdiffAt(Breaking) "A response property's minimum was lowered or removed: clients may read values they did not expect.";
    RESPONSE_PROPERTY_EXCLUSIVE_MAX_INCREASED "response-property-exclusive-max-increased" Warning OasdiffAt(Breaking) "A response property's exclusive maximum was raised or removed: clients may read values they did not expect.";
    RESPONSE_PROPERTY_EXCLUSIVE_MIN_DECREASED "response-property-exclusive-min-decreased" Warning OasdiffAt(Breaking) "A response property's exclusive minimum was lowered or removed: clients may read values they did not expect.";
    RESPONSE_PROPERTY_MAX_LENGTH_INCREASED "response-property-max-length-increased" Warning OasdiffAt(Breaking) "A response property's maximum length was raised: clients may read values they did not expect.";
    RESPONSE_PROPERTY_MIN_LENGTH_DECREASED "response-property-min-length-decreased" Warning OasdiffAt(Breaking) "A response property's minimum length was lowered or removed: clients may read values they did not expect.";
    RESPONSE_PROPERTY_MAX_ITEMS_INCREASED "response-property-max-items-increased" Warning OasdiffAt(Breaking) "A response property's maximum number of items was raised or removed: clients may read values they did not expect.";
    RESPONSE_PROPERTY_MIN_ITEMS_DECREASED "response-property-min-items-decreased" Warning OasdiffAt(Breaking) "A response property's minimum number of items was lowered: clients may read values they did not expect.";
    REQUEST_PROPERTY_DEPRECATED "request-property-deprecated" Info Oasdiff "A request body property was marked deprecated.";
    REQUEST_PROPERTY_REACTIVATED "request-property-reactivated" Info Oasdiff "A request body property is no longer deprecated.";
    RESPONSE_PROPERTY_DEPRECATED "response-property-deprecated" Info Oasdiff "A response property was marked deprecated.";
    RESPONSE_PROPERTY_REACTIVATED "response-property-reactivated" Info Oasdiff "A response property is no longer deprecated.";
    REQUEST_PARAMETER_DEFAULT_VALUE_CHANGED "request-parameter-default-value-changed" Warning OasdiffAt(Info) "A parameter's default changed: a client that leaves it out gets another behaviour.";
    REQUEST_PARAMETER_DEFAULT_VALUE_ADDED "request-parameter-default-value-added" Info Oasdiff "A parameter got a default.";
    REQUEST_PARAMETER_DEFAULT_VALUE_REMOVED "request-parameter-default-value-removed" Warning OasdiffAt(Info) "A parameter lost its default: a client that leaves it out may get another behaviour.";
    REQUIRED_RESPONSE_HEADER_REMOVED "required-response-header-removed" Breaking Oasdiff "A response header every response had was removed.";
    OPTIONAL_RESPONSE_HEADER_REMOVED "optional-response-header-removed" Warning Oasdiff "An optional response header was removed.";
    RESPONSE_HEADER_BECAME_OPTIONAL "response-header-became-optional" Breaking Oasdiff "A response header that was always sent became optional.";
    RESPONSE_HEADER_ADDED "response-header-added" Info Oasdiff "A response header was added.";
    RESPONSE_SUCCESS_STATUS_REMOVED "response-success-status-removed" Breaking Oasdiff "A success (2xx) response was removed.";
    RESPONSE_SUCCESS_STATUS_ADDED "response-success-status-added" Info Oasdiff "A success (2xx) response was added.";
    RESPONSE_NON_SUCCESS_STATUS_REMOVED "response-non-success-status-removed" Info Oasdiff "An error response was removed.";
    RESPONSE_NON_SUCCESS_STATUS_ADDED "response-non-success-status-added" Info Oasdiff "An error response was added.";
    RESPONSE_MEDIA_TYPE_REMOVED "response-media-type-removed" Breaking Oasdiff "A response no longer comes in a media type.";
    RESPONSE_MEDIA_TYPE_ADDED "response-media-type-added" Info Oasdiff "A response comes in a new media type.";
    RESPONSE_REQUIRED_PROPERTY_REMOVED "response-required-property-removed" Breaking Oasdiff "A property every response had was removed.";
    RESPONSE_OPTIONAL_PROPERTY_REMOVED "response-optional-property-removed" Warning OasdiffAt(Info) "An optional response property was removed.";
    RESPONSE_PROPERTY_BECAME_OPTIONAL "response-property-became-optional" Breaking Oasdiff "A response property that was always present became optional.";
    RESPONSE_PROPERTY_BECAME_REQUIRED "response-property-became-required" Info Oasdiff "An optional response property became required.";
    RESPONSE_PROPERTY_BECAME_NULLABLE "response-property-became-nullable" Breaking Oasdiff "A response property may now be null.";
    RESPONSE_REQUIRED_PROPERTY_ADDED "response-required-property-added" Info Oasdiff "A property every response has was added.";
    RESPONSE_OPTIONAL_PROPERTY_ADDED "response-optional-property-added" Info Oasdiff "An optional property was added to a response.";
    RESPONSE_PROPERTY_ADDED_TO_CLOSED_OBJECT "response-property-added-to-closed-object" Breaking Own "A property was added to a response object the base closed with `additionalProperties: false`: the client generated from the base refuses unknown fields (`deny_unknown_fields`), so it cannot read the new answers.";
    RESPONSE_PROPERTY_TYPE_CHANGED "response-property-type-changed" Breaking Oasdiff "A response property's type or format changed to one clients cannot read as the old.";
    RESPONSE_PROPERTY_TYPE_GENERALIZED "response-property-type-generalized" Breaking Oasdiff "A response property may hold a wider type than before (integer to number).";
    RESPONSE_PROPERTY_TYPE_SPECIALIZED "response-property-type-specialized" Info Oasdiff "A response property holds a narrower type, which clients still read (number to integer).";
    RESPONSE_PROPERTY_TYPE_COMPATIBLE "response-property-type-compatible" Info Oasdiff "A response property of a media type that is not JSON (XML, text) that was a string holds another type: clients still read text.";
    RESPONSE_PROPERTY_ONE_OF_ADDED "response-property-one-of-added" Breaking Oasdiff "A response property gained a `oneOf` alternative: clients may receive a shape they do not know.";
    RESPONSE_PROPERTY_ONE_OF_REMOVED "response-property-one-of-removed" Info Oasdiff "A response property lost a `oneOf` alternative.";
    RESPONSE_PROPERTY_ENUM_VALUE_ADDED "response-property-enum-value-added" Warning Oasdiff "A response property may hold a new enum value that clients do not expect.";
    RESPONSE_PROPERTY_ENUM_VALUE_REMOVED "response-property-enum-value-removed" Info Oasdiff "A response property no longer holds an enum value.";
    REQUEST_PARAMETER_MULTIPLE_OF_SET "request-parameter-multiple-of-set" Breaking Oasdiff "A parameter must now be a multiple of a number.";
    REQUEST_PARAMETER_MULTIPLE_OF_CHANGED "request-parameter-multiple-of-changed" Breaking Oasdiff "A parameter's `multipleOf` changed so that some values it accepted are refused.";
    REQUEST_PARAMETER_MULTIPLE_OF_UNSET "request-parameter-multiple-of-unset" Info Oasdiff "A parameter's `multipleOf` was removed, or changed to a divisor of the old one.";
    REQUEST_PROPERTY_MULTIPLE_OF_SET "request-property-multiple-of-set" Breaking Oasdiff "A request body property must now be a multiple of a number.";
    REQUEST_PROPERTY_MULTIPLE_OF_CHANGED "request-property-multiple-of-changed" Breaking Oasdiff "A request body property's `multipleOf` changed so that some values it accepted are refused.";
    REQUEST_PROPERTY_MULTIPLE_OF_UNSET "request-property-multiple-of-unset" Info Oasdiff "A request body property's `multipleOf` was removed.";
    RESPONSE_PROPERTY_MULTIPLE_OF_CHANGED "response-property-multiple-of-changed" Warning OasdiffAt(Breaking) "A response property's `multipleOf` was removed or changed: clients may read values they did not expect.";
    REQUEST_PARAMETER_UNIQUE_ITEMS_SET "request-parameter-unique-items-set" Breaking Own "A list parameter's items must now be unique.";
    REQUEST_PARAMETER_UNIQUE_ITEMS_UNSET "request-parameter-unique-items-unset" Info Own "A list parameter's items no longer have to be unique.";
    REQUEST_PROPERTY_UNIQUE_ITEMS_SET "request-property-unique-items-set" Breaking Oasdiff "A request body list's items must now be unique.";
    REQUEST_PROPERTY_UNIQUE_ITEMS_UNSET "request-property-unique-items-unset" Info Oasdiff "A request body list's items no longer have to be unique.";
    RESPONSE_PROPERTY_UNIQUE_ITEMS_UNSET "response-property-unique-items-unset" Warning OasdiffAt(Breaking) "A response list's items are no longer unique: clients may read duplicates.";
    REQUEST_PROPERTY_ADDITIONAL_PROPERTIES_FORBIDDEN "request-property-additional-properties-forbidden" Breaking Own "A request object no longer accepts properties it does not list (`additionalProperties: false`).";
    REQUEST_PROPERTY_ADDITIONAL_PROPERTIES_ALLOWED "request-property-additional-properties-allowed" Info Own "A request object accepts properties it does not list.";
    RESPONSE_PROPERTY_ADDITIONAL_PROPERTIES_ALLOWED "response-property-additional-properties-allowed" Warning Own "A response object may carry properties it does not list: clients that refuse unknown fields fail.";
    REQUEST_PROPERTY_DEFAULT_VALUE_CHANGED "request-property-default-value-changed" Warning OasdiffAt(Info) "A request body property's default changed: a client that leaves it out gets another behaviour.";
    REQUEST_PROPERTY_DEFAULT_VALUE_ADDED "request-property-default-value-added" Info Oasdiff "A request body property got a default.";
    REQUEST_PROPERTY_DEFAULT_VALUE_REMOVED "request-property-default-value-removed" Warning OasdiffAt(Info) "A request body property lost its default: a client that leaves it out may get another behaviour.";
    REQUEST_OPTIONAL_PROPERTY_BECAME_READ_ONLY "request-optional-property-became-read-only" Warning OasdiffAt(Info) "An optional request body property became read-only: what clients send in it is ignored or refused.";
    REQUEST_REQUIRED_PROPERTY_BECAME_READ_ONLY "request-required-property-became-read-only" Warning OasdiffAt(Info) "A required request body property became read-only: what clients send in it is ignored or refused.";
    REQUEST_OPTIONAL_PROPERTY_BECAME_NOT_READ_ONLY "request-optional-property-became-not-read-only" Info Oasdiff "A read-only property may now be sent, optionally.";
    REQUEST_REQUIRED_PROPERTY_BECAME_NOT_READ_ONLY "request-required-property-became-not-read-only" Breaking OasdiffAt(Info) "A read-only property is no longer read-only and must be sent.";
    RESPONSE_OPTIONAL_PROPERTY_BECAME_WRITE_ONLY "response-optional-property-became-write-only" Warning OasdiffAt(Info) "An optional response property became write-only: responses no longer carry it.";
    RESPONSE_REQUIRED_PROPERTY_BECAME_WRITE_ONLY "response-required-property-became-write-only" Breaking OasdiffAt(Info) "A property every response had became write-only: responses no longer carry it.";
    RESPONSE_OPTIONAL_PROPERTY_BECAME_NOT_WRITE_ONLY "response-optional-property-became-not-write-only" Info Oasdiff "A write-only property may now be in responses.";
    RESPONSE_REQUIRED_PROPERTY_BECAME_NOT_WRITE_ONLY "response-required-property-became-not-write-only" Info OasdiffAt(Warning) "A write-only property is now in every response.";
    REQUEST_PROPERTY_ALL_OF_ADDED "request-property-all-of-added" Info OasdiffAt(Breaking) "A request schema gained an `allOf` member (what it requires is reported under its own rules).";
    REQUEST_PROPERTY_ALL_OF_REMOVED "request-property-all-of-removed" Info Oasdiff "A request schema lost an `allOf` member (what it required is reported under its own rules).";
    REQUEST_PROPERTY_ALL_OF_ADDED_ANNOTATION_ONLY "request-property-all-of-added-annotation-only" Info Oasdiff "A request schema gained an `allOf` member of annotations only (a title, a description): nothing about its values changed.";
    REQUEST_PROPERTY_ALL_OF_REMOVED_ANNOTATION_ONLY "request-property-all-of-removed-annotation-only" Info Oasdiff "A request schema lost an `allOf` member of annotations only: nothing about its values changed.";
    RESPONSE_PROPERTY_ALL_OF_ADDED "response-property-all-of-added" Info Oasdiff "A response schema gained an `allOf` member (what it adds is reported under its own rules).";
    RESPONSE_PROPERTY_ALL_OF_REMOVED "response-property-all-of-removed" Info OasdiffAt(Breaking) "A response schema lost an `allOf` member (what it took away is reported under its own rules).";
    RESPONSE_PROPERTY_ALL_OF_ADDED_ANNOTATION_ONLY "response-property-all-of-added-annotation-only" Info Oasdiff "A response schema gained an `allOf` member of annotations only (a title, a description): nothing about its values changed.";
    RESPONSE_PROPERTY_ALL_OF_REMOVED_ANNOTATION_ONLY "response-property-all-of-removed-annotation-only" Info Oasdiff "A response schema lost an `allOf` member of annotations only: nothing about its values changed.";
    REQUEST_PROPERTY_DISCRIMINATOR_ADDED "request-property-discriminator-added" Info Oasdiff "A request union got a discriminator.";
    REQUEST_PROPERTY_DISCRIMINATOR_REMOVED "request-property-discriminator-removed" Info Oasdiff "A request union lost its discriminator.";
    REQUEST_PROPERTY_DISCRIMINATOR_PROPERTY_NAME_CHANGED "request-property-discriminator-property-name-changed" Warning OasdiffAt(Info) "A request union's discriminator is another property: the server tells the alternatives apart by another field.";
    REQUEST_PROPERTY_DISCRIMINATOR_MAPPING_ADDED "request-property-discriminator-mapping-added" Info Oasdiff "A request union's discriminator maps a new value.";
    REQUEST_PROPERTY_DISCRIMINATOR_MAPPING_DELETED "request-property-discriminator-mapping-deleted" Breaking OasdiffAt(Info) "A request union's discriminator no longer maps a value clients send.";
    REQUEST_PROPERTY_DISCRIMINATOR_MAPPING_CHANGED "request-property-discriminator-mapping-changed" Warning OasdiffAt(Info) "A request union's discriminator maps a value to another schema.";
    RESPONSE_PROPERTY_DISCRIMINATOR_ADDED "response-property-discriminator-added" Info Oasdiff "A response union got a discriminator.";
    RESPONSE_PROPERTY_DISCRIMINATOR_REMOVED "response-property-discriminator-removed" Info Oasdiff "A response union lost its discriminator.";
    RESPONSE_PROPERTY_DISCRIMINATOR_PROPERTY_NAME_CHANGED "response-property-discriminator-property-name-changed" Warning OasdiffAt(Info) "A response union's discriminator is another property: clients tell the alternatives apart by another field.";
    RESPONSE_PROPERTY_DISCRIMINATOR_MAPPING_ADDED "response-property-discriminator-mapping-added" Warning OasdiffAt(Info) "A response union's discriminator maps a new value clients do not know.";
    RESPONSE_PROPERTY_DISCRIMINATOR_MAPPING_DELETED "response-property-discriminator-mapping-deleted" Info Oasdiff "A response union's discriminator no longer maps a value.";
    RESPONSE_PROPERTY_DISCRIMINATOR_MAPPING_CHANGED "response-property-discriminator-mapping-changed" Warning OasdiffAt(Info) "A response union's discriminator maps a value to another schema.";
    REQUEST_BODY_MEDIA_TYPE_PARAMETERS_CHANGED "request-body-media-type-parameters-changed" Warning Own "The request body's media type kept its type but changed its parameters (`charset`, `version`, …).";
    RESPONSE_MEDIA_TYPE_NAME_CHANGED "response-media-type-name-changed" Warning OasdiffAt(Info) "A response's media type kept its type but changed its parameters (`charset`, `version`, …): a client that asks for the old ones may not be answered.";
    RESPONSE_MEDIA_TYPE_NAME_SPECIALIZED "response-media-type-name-specialized" Info Oasdiff "A response comes as a more specific name of its media type (`application/json` as `application/problem+json`), which clients still read.";
    RESPONSE_MEDIA_TYPE_NAME_GENERALIZED "response-media-type-name-generalized" Breaking Oasdiff "A response comes as a more general name of its media type (`application/problem+json` as `application/json`): clients that read the specific one may not read it.";
    API_SECURITY_BECAME_REQUIRED "api-security-became-required" Breaking Own "An operation that needed no authentication now needs it.";
    API_SECURITY_NO_LONGER_REQUIRED "api-security-no-longer-required" Info Own "An operation no longer needs authentication.";
    API_SECURITY_REMOVED "api-security-removed" Breaking Oasdiff "A way of authenticating an operation (its own `security`) was removed.";
    API_SECURITY_ADDED "api-security-added" Info Oasdiff "A new way of authenticating an operation (its own `security`) was added.";
    API_GLOBAL_SECURITY_REMOVED "api-global-security-removed" Breaking Oasdiff "A way of authenticating (the document's `security`) was removed.";
    API_GLOBAL_SECURITY_ADDED "api-global-security-added" Info Oasdiff "A new way of authenticating (the document's `security`) was added.";
    API_SECURITY_SCOPE_ADDED "api-security-scope-added" Breaking Oasdiff "A way of authenticating now needs another scope.";
    API_SECURITY_SCOPE_REMOVED "api-security-scope-removed" Info Oasdiff "A way of authenticating needs one scope fewer.";
    API_GLOBAL_SECURITY_SCOPE_ADDED "api-global-security-scope-added" Breaking OasdiffAt(Info) "A way of authenticating (the document's `security`) now needs another scope: tokens without it are refused, so it is breaking here as for an operation's own.";
    API_GLOBAL_SECURITY_SCOPE_REMOVED "api-global-security-scope-removed" Info Oasdiff "A way of authenticating (the document's `security`) needs one scope fewer.";
    API_SECURITY_COMPONENT_ADDED "api-security-component-added" Info Oasdiff "A security scheme was added to `components.securitySchemes`.";
    API_SECURITY_COMPONENT_REMOVED "api-security-component-removed" Info Oasdiff "A security scheme was removed from `components.securitySchemes` (what operations need is reported under `api-security-*`).";
    API_SECURITY_COMPONENT_TYPE_CHANGED "api-security-component-type-changed" Breaking OasdiffAt(Info) "A security scheme's type changed (for example from `apiKey` to `http`): clients authenticate the old way: so it is breaking here.";
    API_SECURITY_COMPONENT_OAUTH_URL_CHANGED "api-security-component-oauth-url-changed" Info Oasdiff "An OAuth flow's authorization URL changed.";
    API_SECURITY_COMPONENT_OAUTH_TOKEN_URL_CHANGED "api-security-component-oauth-token-url-changed" Info Oasdiff "An OAuth flow's token URL changed.";
    API_SECURITY_COMPONENT_OAUTH_SCOPE_ADDED "api-security-component-oauth-scope-added" Info Oasdiff "An OAuth flow offers a new scope.";
    API_SECURITY_COMPONENT_OAUTH_SCOPE_REMOVED "api-security-component-oauth-scope-removed" Info Oasdiff "An OAuth flow no longer offers a scope: clients that ask for it are refused.";
    SECURITY_SCHEME_CHANGED "security-scheme-changed" Breaking Own "A security scheme's definition changed otherwise (its HTTP scheme, an API key's place or name, an OAuth flow added or removed).";
    SERVER_URL_CHANGED "server-url-changed" Warning Own "The server URL changed; clients using the documented default go elsewhere.";
    SERVER_REMOVED "server-removed" Warning Own "A server was removed.";
    SERVER_ADDED "server-added" Info Own "A server was added.";
    REQUEST_BODY_TYPE_CHANGED "request-body-type-changed" Breaking Oasdiff "The request body's type or format changed so that some values it accepted are refused.";
    REQUEST_BODY_TYPE_GENERALIZED "request-body-type-generalized" Info Oasdiff "The request body accepts a wider type (integer to number, a value or a list of it).";
    REQUEST_BODY_TYPE_COMPATIBLE "request-body-type-compatible" Info Oasdiff "A request body of a media type that is not JSON (XML, a form, text) became a string: anything sent as text still passes.";
    REQUEST_BODY_ENUM_VALUE_REMOVED "request-body-enum-value-removed" Breaking Oasdiff "The request body no longer accepts an enum value.";
    REQUEST_BODY_BECAME_ENUM "request-body-became-enum" Breaking Oasdiff "The request body was restricted to a list of enum values.";
    REQUEST_BODY_BECAME_NULLABLE "request-body-became-nullable" Info Oasdiff "The request body accepts null.";
    REQUEST_BODY_BECAME_NOT_NULLABLE "request-body-became-not-nullable" Breaking Oasdiff "The request body no longer accepts null.";
    REQUEST_BODY_ONE_OF_ADDED "request-body-one-of-added" Info Oasdiff "The request body accepts a new `oneOf` alternative.";
    REQUEST_BODY_WRAPPED_IN_ONE_OF "request-body-wrapped-in-one-of" Breaking Oasdiff "The request body's schema became a `oneOf` of alternatives, none of them the schema it was: a body clients sent may match none, or more than one.";
    REQUEST_BODY_WRAPPED_IN_ONE_OF_ORIGINAL_PRESERVED "request-body-wrapped-in-one-of-original-preserved" Warning Oasdiff "The request body's schema became a `oneOf` of alternatives, one of them the schema it was: a body clients sent still matches it, unless it matches another too.";
    REQUEST_BODY_ONE_OF_REMOVED "request-body-one-of-removed" Breaking Oasdiff "The request body no longer accepts a `oneOf` alternative.";
    REQUEST_BODY_ANY_OF_ADDED "request-body-any-of-added" Info Oasdiff "The request body accepts a new `anyOf` alternative.";
    REQUEST_BODY_ANY_OF_REMOVED "request-body-any-of-removed" Breaking Oasdiff "The request body no longer accepts an `anyOf` alternative.";
    REQUEST_BODY_ALL_OF_ADDED "request-body-all-of-added" Info OasdiffAt(Breaking) "The request body's schema gained an `allOf` member (what it requires is reported under its own rules).";
    REQUEST_BODY_ALL_OF_REMOVED "request-body-all-of-removed" Info Oasdiff "The request body's schema lost an `allOf` member (what it required is reported under its own rules).";
    REQUEST_BODY_ALL_OF_ADDED_ANNOTATION_ONLY "request-body-all-of-added-annotation-only" Info Oasdiff "The request body's schema gained an `allOf` member of annotations only (a title, a description): nothing about its values changed.";
    REQUEST_BODY_ALL_OF_REMOVED_ANNOTATION_ONLY "request-body-all-of-removed-annotation-only" Info Oasdiff "The request body's schema lost an `allOf` member of annotations only: nothing about its values changed.";
    REQUEST_BODY_DISCRIMINATOR_ADDED "request-body-discriminator-added" Info Oasdiff "The request body's union got a discriminator.";
    REQUEST_BODY_DISCRIMINATOR_REMOVED "request-body-discriminator-removed" Info Oasdiff "The request body's union lost its discriminator.";
    REQUEST_BODY_DISCRIMINATOR_PROPERTY_NAME_CHANGED "request-body-discriminator-property-name-changed" Warning OasdiffAt(Info) "The request body's union is told apart by another property.";
    REQUEST_BODY_DISCRIMINATOR_MAPPING_ADDED "request-body-discriminator-mapping-added" Info Oasdiff "The request body's discriminator maps a new value.";
    REQUEST_BODY_DISCRIMINATOR_MAPPING_DELETED "request-body-discriminator-mapping-deleted" Breaking OasdiffAt(Info) "The request body's discriminator no longer maps a value clients send.";
    REQUEST_BODY_DISCRIMINATOR_MAPPING_CHANGED "request-body-discriminator-mapping-changed" Warning OasdiffAt(Info) "The request body's discriminator maps a value to another schema.";
    REQUEST_BODY_DEFAULT_VALUE_ADDED "request-body-default-value-added" Info Oasdiff "The request body got a default.";
    REQUEST_BODY_DEFAULT_VALUE_CHANGED "request-body-default-value-changed" Warning OasdiffAt(Info) "The request body's default changed: a client that sends none gets another behaviour.";
    REQUEST_BODY_DEFAULT_VALUE_REMOVED "request-body-default-value-removed" Warning OasdiffAt(Info) "The request body lost its default: a client that sends none may get another behaviour.";
    REQUEST_BODY_MAX_DECREASED "request-body-max-decreased" Breaking Oasdiff "The request body's maximum was lowered: some values it accepted are refused.";
    REQUEST_BODY_MAX_INCREASED "request-body-max-increased" Info Oasdiff "The request body's maximum was raised or removed.";
    REQUEST_BODY_MIN_INCREASED "request-body-min-increased" Breaking Oasdiff "The request body's minimum was raised: some values it accepted are refused.";
    REQUEST_BODY_MIN_DECREASED "request-body-min-decreased" Info Oasdiff "The request body's minimum was lowered or removed.";
    REQUEST_BODY_MAX_LENGTH_DECREASED "request-body-max-length-decreased" Breaking Oasdiff "The request body's maximum length was lowered: some values it accepted are refused.";
    REQUEST_BODY_MAX_LENGTH_INCREASED "request-body-max-length-increased" Info Oasdiff "The request body's maximum length was raised or removed.";
    REQUEST_BODY_MIN_LENGTH_INCREASED "request-body-min-length-increased" Breaking Oasdiff "The request body's minimum length was raised or newly set: some values it accepted are refused.";
    REQUEST_BODY_MIN_LENGTH_DECREASED "request-body-min-length-decreased" Info Oasdiff "The request body's minimum length was lowered or removed.";
    REQUEST_BODY_MIN_ITEMS_INCREASED "request-body-min-items-increased" Breaking Oasdiff "The request body's minimum number of items was raised: some values it accepted are refused.";
    REQUEST_BODY_MIN_ITEMS_DECREASED "request-body-min-items-decreased" Info Oasdiff "The request body's minimum number of items was lowered or removed.";
    REQUEST_PROPERTY_ANY_OF_ADDED "request-property-any-of-added" Info Oasdiff "A request body property accepts a new `anyOf` alternative.";
    REQUEST_PROPERTY_ANY_OF_REMOVED "request-property-any-of-removed" Breaking Oasdiff "A request body property no longer accepts an `anyOf` alternative.";
    REQUEST_PARAMETER_PROPERTY_TYPE_CHANGED "request-parameter-property-type-changed" Warning Oasdiff "A property of an object parameter changed its type or format; whether clients break depends on how the parameter is serialized.";
    REQUEST_PARAMETER_PROPERTY_TYPE_GENERALIZED "request-parameter-property-type-generalized" Info Oasdiff "A property of an object parameter accepts a wider type.";
    REQUEST_PARAMETER_PROPERTY_ENUM_VALUE_REMOVED "request-parameter-property-enum-value-removed" Breaking Oasdiff "A property of an object parameter no longer accepts an enum value.";
    RESPONSE_BODY_TYPE_CHANGED "response-body-type-changed" Breaking Oasdiff "The response body's type or format changed to one clients cannot read as the old.";
    RESPONSE_BODY_BECAME_NULLABLE "response-body-became-nullable" Breaking Oasdiff "The response body may now be null.";
    RESPONSE_BODY_ONE_OF_ADDED "response-body-one-of-added" Breaking Oasdiff "The response body gained a `oneOf` alternative: clients may receive a shape they do not know.";
    RESPONSE_BODY_WRAPPED_IN_ONE_OF "response-body-wrapped-in-one-of" Breaking Oasdiff "The response body's schema became a `oneOf` of alternatives, none of them the schema it was: what clients read may be another shape.";
    RESPONSE_BODY_WRAPPED_IN_ONE_OF_ORIGINAL_PRESERVED "response-body-wrapped-in-one-of-original-preserved" Warning Oasdiff "The response body's schema became a `oneOf` of alternatives, one of them the schema it was: clients may read one of the others.";
    RESPONSE_BODY_ONE_OF_REMOVED "response-body-one-of-removed" Info Oasdiff "The response body lost a `oneOf` alternative.";
    RESPONSE_BODY_ANY_OF_ADDED "response-body-any-of-added" Breaking Oasdiff "The response body gained an `anyOf` alternative: clients may receive a shape they do not know.";
    RESPONSE_BODY_ANY_OF_REMOVED "response-body-any-of-removed" Info Oasdiff "The response body lost an `anyOf` alternative.";
    RESPONSE_BODY_ALL_OF_ADDED "response-body-all-of-added" Info Oasdiff "The response body's schema gained an `allOf` member (what it adds is reported under its own rules).";
    RESPONSE_BODY_ALL_OF_REMOVED "response-body-all-of-removed" Info OasdiffAt(Breaking) "The response body's schema lost an `allOf` member (what it took away is reported under its own rules).";
    RESPONSE_BODY_ALL_OF_ADDED_ANNOTATION_ONLY "response-body-all-of-added-annotation-only" Info Oasdiff "The response body's schema gained an `allOf` member of annotations only (a title, a description): nothing about its values changed.";
    RESPONSE_BODY_ALL_OF_REMOVED_ANNOTATION_ONLY "response-body-all-of-removed-annotation-only" Info Oasdiff "The response body's schema lost an `allOf` member of annotations only: nothing about its values changed.";
    RESPONSE_BODY_DISCRIMINATOR_ADDED "response-body-discriminator-added" Info Oasdiff "The response body's union got a discriminator.";
    RESPONSE_BODY_DISCRIMINATOR_REMOVED "response-body-discriminator-removed" Info Oasdiff "The response body's union lost its discriminator.";
    RESPONSE_BODY_DISCRIMINATOR_PROPERTY_NAME_CHANGED "response-body-discriminator-property-name-changed" Warning OasdiffAt(Info) "The response body's union is told apart by another property.";
    RESPONSE_BODY_DISCRIMINATOR_MAPPING_ADDED "response-body-discriminator-mapping-added" Warning OasdiffAt(Info) "The response body's discriminator maps a new value clients do not know.";
    RESPONSE_BODY_DISCRIMINATOR_MAPPING_DELETED "response-body-discriminator-mapping-deleted" Info Oasdiff "The response body's discriminator no longer maps a value.";
    RESPONSE_BODY_DISCRIMINATOR_MAPPING_CHANGED "response-body-discriminator-mapping-changed" Warning OasdiffAt(Info) "The response body's discriminator maps a value to another schema.";
    RESPONSE_BODY_MAX_INCREASED "response-body-max-increased" Warning OasdiffAt(Breaking) "The response body's maximum was raised or removed: clients may read values they did not expect.";
    RESPONSE_BODY_MIN_DECREASED "response-body-min-decreased" Warning OasdiffAt(Breaking) "The response body's minimum was lowered or removed: clients may read values they did not expect.";
    RESPONSE_BODY_MAX_LENGTH_INCREASED "response-body-max-length-increased" Warning OasdiffAt(Breaking) "The response body's maximum length was raised: clients may read values they did not expect.";
    RESPONSE_BODY_MAX_LENGTH_UNSET "response-body-max-length-unset" Warning OasdiffAt(Breaking) "The response body's maximum length was removed: clients may read values they did not expect.";
    RESPONSE_BODY_MIN_LENGTH_DECREASED "response-body-min-length-decreased" Warning OasdiffAt(Breaking) "The response body's minimum length was lowered or removed: clients may read values they did not expect.";
    RESPONSE_BODY_MIN_ITEMS_DECREASED "response-body-min-items-decreased" Warning OasdiffAt(Breaking) "The response body's minimum number of items was lowered: clients may read values they did not expect.";
    RESPONSE_BODY_MIN_ITEMS_UNSET "response-body-min-items-unset" Warning OasdiffAt(Breaking) "The response body's minimum number of items was removed: clients may read values they did not expect.";
    RESPONSE_PROPERTY_ANY_OF_ADDED "response-property-any-of-added" Breaking Oasdiff "A response property gained an `anyOf` alternative: clients may receive a shape they do not know.";
    RESPONSE_PROPERTY_ANY_OF_REMOVED "response-property-any-of-removed" Info Oasdiff "A response property lost an `anyOf` alternative.";
    RESPONSE_PROPERTY_MAX_LENGTH_UNSET "response-property-max-length-unset" Warning OasdiffAt(Breaking) "A response property's maximum length was removed: clients may read values they did not expect.";
    RESPONSE_PROPERTY_MIN_ITEMS_UNSET "response-property-min-items-unset" Warning OasdiffAt(Breaking) "A response property's minimum number of items was removed: clients may read values they did not expect.";
    API_PATH_SUNSET_PARSE "api-path-sunset-parse" Breaking Oasdiff "A deprecated operation was removed whose `x-sunset` is not a date, so whether its sunset had passed cannot be told.";
    API_DEPRECATED_SUNSET_PARSE "api-deprecated-sunset-parse" Breaking Oasdiff "A deprecated operation's `x-sunset` is not a date.";
    API_DEPRECATED_SUNSET_MISSING "api-deprecated-sunset-missing" Breaking Oasdiff "An operation was deprecated without an `x-sunset` date, where `--deprecation-days` asks for one.";
    API_SUNSET_DATE_TOO_SMALL "api-sunset-date-too-small" Breaking Oasdiff "An operation was deprecated with an `x-sunset` date fewer than `--deprecation-days` days ahead (by default, one already passed).";
    API_SUNSET_DATE_CHANGED_TOO_SMALL "api-sunset-date-changed-too-small" Breaking Oasdiff "A deprecated operation's `x-sunset` moved earlier, to fewer than `--deprecation-days` days ahead (by default, to a date already passed).";
    SUNSET_DELETED "sunset-deleted" Breaking Oasdiff "A deprecated operation lost its `x-sunset` date: clients no longer know until when it stays.";
    API_INVALID_STABILITY_LEVEL "api-invalid-stability-level" Breaking Oasdiff "An operation's `x-stability-level` is not one of `draft`, `alpha`, `beta`, `stable`.";
    API_STABILITY_DECREASED "api-stability-decreased" Breaking Oasdiff "An operation's `x-stability-level` went down (for example from `stable` to `beta`).";
    REQUEST_PARAMETER_REACTIVATED "request-parameter-reactivated" Info Oasdiff "A parameter is no longer deprecated.";
    REQUEST_PARAMETER_REMOVED_WITH_DEPRECATION "request-parameter-removed-with-deprecation" Info Oasdiff "A deprecated parameter was removed (after its `x-sunset` date, if it had one).";
    REQUEST_PARAMETER_REMOVED_BEFORE_SUNSET "request-parameter-removed-before-sunset" Breaking Oasdiff "A deprecated parameter was removed before its `x-sunset` date.";
    REQUEST_PARAMETER_SUNSET_PARSE "request-parameter-sunset-parse" Breaking Oasdiff "A deprecated parameter was removed whose `x-sunset` is not a date.";
    REQUEST_PARAMETER_SUNSET_DELETED "request-parameter-sunset-deleted" Breaking Oasdiff "A deprecated parameter lost its `x-sunset` date.";
    REQUEST_PARAMETER_STYLE_CHANGED "request-parameter-style-changed" Breaking Oasdiff "A parameter is written in another `style` (as the defaults make it when not written): the server reads another format.";
    REQUEST_PARAMETER_EXPLODE_CHANGED "request-parameter-explode-changed" Breaking Oasdiff "A list or object parameter changed `explode`: the server reads another format.";
    REQUEST_PARAMETER_X_EXTENSIBLE_ENUM_VALUE_REMOVED "request-parameter-x-extensible-enum-value-removed" Breaking Oasdiff "A parameter no longer accepts an `x-extensible-enum` value.";
    REQUEST_PROPERTY_X_EXTENSIBLE_ENUM_VALUE_REMOVED "request-property-x-extensible-enum-value-removed" Breaking Oasdiff "A request body property no longer accepts an `x-extensible-enum` value.";
    REQUEST_PROPERTY_MAX_PROPERTIES_DECREASED "request-property-max-properties-decreased" Breaking Oasdiff "A request object's `maxProperties` was lowered: some objects it accepted are refused.";
    REQUEST_PROPERTY_MAX_PROPERTIES_INCREASED "request-property-max-properties-increased" Info Oasdiff "A request object's `maxProperties` was raised or removed.";
    REQUEST_PROPERTY_MIN_PROPERTIES_INCREASED "request-property-min-properties-increased" Breaking Oasdiff "A request object's `minProperties` was raised or newly set: some objects it accepted are refused.";
    REQUEST_PROPERTY_MIN_PROPERTIES_DECREASED "request-property-min-properties-decreased" Info Oasdiff "A request object's `minProperties` was lowered or removed.";
    RESPONSE_PROPERTY_MAX_PROPERTIES_INCREASED "response-property-max-properties-increased" Warning OasdiffAt(Breaking) "A response object's `maxProperties` was raised or removed: clients may read objects they did not expect.";
    RESPONSE_PROPERTY_MIN_PROPERTIES_DECREASED "response-property-min-properties-decreased" Warning OasdiffAt(Breaking) "A response object's `minProperties` was lowered or removed: clients may read objects they did not expect.";
    REQUEST_PROPERTY_NOT_CHANGED "request-property-not-changed" Warning Own "A request schema's `not` changed: values it accepted may be refused.";
    RESPONSE_PROPERTY_NOT_CHANGED "response-property-not-changed" Warning Own "A response schema's `not` changed: clients may read values they did not expect.";
    REQUEST_PARAMETER_MAX_SET "request-parameter-max-set" Breaking Oasdiff "A parameter's maximum was set where there was none: some values it accepted are refused.";
    REQUEST_PARAMETER_EXCLUSIVE_MAX_SET "request-parameter-exclusive-max-set" Breaking Oasdiff "A parameter's exclusive maximum was set where there was none: some values it accepted are refused.";
    REQUEST_PARAMETER_MIN_SET "request-parameter-min-set" Breaking Oasdiff "A parameter's minimum was set where there was none: some values it accepted are refused.";
    REQUEST_PARAMETER_EXCLUSIVE_MIN_SET "request-parameter-exclusive-min-set" Breaking Oasdiff "A parameter's exclusive minimum was set where there was none: some values it accepted are refused.";
    REQUEST_PARAMETER_MAX_LENGTH_SET "request-parameter-max-length-set" Breaking Oasdiff "A parameter's maximum length was set where there was none: some values it accepted are refused.";
    REQUEST_PARAMETER_MIN_ITEMS_SET "request-parameter-min-items-set" Breaking Oasdiff "A parameter's minimum number of items was set where there was none: some values it accepted are refused.";
    REQUEST_BODY_MAX_SET "request-body-max-set" Breaking Oasdiff "The request body's maximum was set where there was none: some values it accepted are refused.";
    REQUEST_BODY_EXCLUSIVE_MAX_SET "request-body-exclusive-max-set" Breaking Oasdiff "The request body's exclusive maximum was set where there was none: some values it accepted are refused.";
    REQUEST_BODY_MIN_SET "request-body-min-set" Breaking Oasdiff "The request body's minimum was set where there was none: some values it accepted are refused.";
    REQUEST_BODY_EXCLUSIVE_MIN_SET "request-body-exclusive-min-set" Breaking Oasdiff "The request body's exclusive minimum was set where there was none: some values it accepted are refused.";
    REQUEST_BODY_MAX_LENGTH_SET "request-body-max-length-set" Breaking Oasdiff "The request body's maximum length was set where there was none: some values it accepted are refused.";
    REQUEST_BODY_MIN_ITEMS_SET "request-body-min-items-set" Breaking Oasdiff "The request body's minimum number of items was set where there was none: some values it accepted are refused.";
    REQUEST_BODY_MAX_ITEMS_SET "request-body-max-items-set" Breaking Oasdiff "The request body's maximum number of items was set where there was none: some values it accepted are refused.";
    REQUEST_BODY_MAX_PROPERTIES_SET "request-body-max-properties-set" Breaking Oasdiff "The request body's maximum number of properties was set where there was none: some values it accepted are refused.";
    REQUEST_PROPERTY_MAX_SET "request-property-max-set" Breaking Oasdiff "A request body property's maximum was set where there was none: some values it accepted are refused.";
    REQUEST_PROPERTY_EXCLUSIVE_MAX_SET "request-property-exclusive-max-set" Breaking Oasdiff "A request body property's exclusive maximum was set where there was none: some values it accepted are refused.";
    REQUEST_PROPERTY_MIN_SET "request-property-min-set" Breaking Oasdiff "A request body property's minimum was set where there was none: some values it accepted are refused.";
    REQUEST_PROPERTY_EXCLUSIVE_MIN_SET "request-property-exclusive-min-set" Breaking Oasdiff "A request body property's exclusive minimum was set where there was none: some values it accepted are refused.";
    REQUEST_PROPERTY_MAX_LENGTH_SET "request-property-max-length-set" Breaking Oasdiff "A request body property's maximum length was set where there was none: some values it accepted are refused.";
    REQUEST_PROPERTY_MIN_ITEMS_SET "request-property-min-items-set" Breaking Oasdiff "A request body property's minimum number of items was set where there was none: some values it accepted are refused.";
    REQUEST_PROPERTY_MAX_ITEMS_SET "request-property-max-items-set" Breaking Oasdiff "A request body property's maximum number of items was set where there was none: some values it accepted are refused.";
    REQUEST_PROPERTY_MAX_PROPERTIES_SET "request-property-max-properties-set" Breaking Oasdiff "A request body property's maximum number of properties was set where there was none: some values it accepted are refused.";
    REQUEST_BODY_CONST_ADDED "request-body-const-added" Breaking Oasdiff "The request body must now be one constant value (`const`): other values it accepted are refused.";
    REQUEST_BODY_CONST_REMOVED "request-body-const-removed" Info Oasdiff "The request body no longer has to be one constant value (`const`).";
    REQUEST_BODY_CONST_CHANGED "request-body-const-changed" Breaking Oasdiff "The request body's constant value (`const`) changed: the value clients send is refused.";
    REQUEST_PROPERTY_CONST_ADDED "request-property-const-added" Breaking Oasdiff "A request body property must now be one constant value (`const`): other values it accepted are refused.";
    REQUEST_PROPERTY_CONST_REMOVED "request-property-const-removed" Info Oasdiff "A request body property no longer has to be one constant value (`const`).";
    REQUEST_PROPERTY_CONST_CHANGED "request-property-const-changed" Breaking Oasdiff "A request body property's constant value (`const`) changed: the value clients send is refused.";
    RESPONSE_BODY_CONST_ADDED "response-body-const-added" Info Oasdiff "The response body is now always one constant value (`const`).";
    RESPONSE_BODY_CONST_REMOVED "response-body-const-removed" Breaking Oasdiff "The response body is no longer always one constant value (`const`): clients may read other values.";
    RESPONSE_BODY_CONST_CHANGED "response-body-const-changed" Breaking Oasdiff "The response body's constant value (`const`) changed: clients read a value they did not expect.";
    RESPONSE_PROPERTY_CONST_ADDED "response-property-const-added" Info Oasdiff "A response body property is now always one constant value (`const`).";
    RESPONSE_PROPERTY_CONST_REMOVED "response-property-const-removed" Breaking Oasdiff "A response body property is no longer always one constant value (`const`): clients may read other values.";
    RESPONSE_PROPERTY_CONST_CHANGED "response-property-const-changed" Breaking Oasdiff "A response body property's constant value (`const`) changed: clients read a value they did not expect.";
    REQUEST_BODY_EXCLUSIVE_MAX_DECREASED "request-body-exclusive-max-decreased" Breaking Oasdiff "The request body's exclusive maximum was lowered: some values it accepted are refused.";
    REQUEST_BODY_EXCLUSIVE_MAX_INCREASED "request-body-exclusive-max-increased" Info Oasdiff "The request body's exclusive maximum was raised.";
    REQUEST_BODY_EXCLUSIVE_MIN_INCREASED "request-body-exclusive-min-increased" Breaking Oasdiff "The request body's exclusive minimum was raised: some values it accepted are refused.";
    REQUEST_BODY_EXCLUSIVE_MIN_DECREASED "request-body-exclusive-min-decreased" Info Oasdiff "The request body's exclusive minimum was lowered.";
    REQUEST_BODY_MAX_ITEMS_DECREASED "request-body-max-items-decreased" Breaking Oasdiff "The request body's maximum number of items was lowered: some arrays it accepted are refused.";
    REQUEST_BODY_MAX_ITEMS_INCREASED "request-body-max-items-increased" Info Oasdiff "The request body's maximum number of items was raised.";
    REQUEST_BODY_MAX_PROPERTIES_DECREASED "request-body-max-properties-decreased" Breaking Oasdiff "The request body's maximum number of properties was lowered: some objects it accepted are refused.";
    REQUEST_BODY_MAX_PROPERTIES_INCREASED "request-body-max-properties-increased" Info Oasdiff "The request body's maximum number of properties was raised.";
    REQUEST_BODY_MIN_PROPERTIES_INCREASED "request-body-min-properties-increased" Breaking Oasdiff "The request body's minimum number of properties was raised or newly set: some objects it accepted are refused.";
    REQUEST_BODY_UNIQUE_ITEMS_SET "request-body-unique-items-set" Breaking Oasdiff "The request body's items must now be unique: arrays with repeats are refused.";
    REQUEST_BODY_UNIQUE_ITEMS_UNSET "request-body-unique-items-unset" Info Oasdiff "The request body's items no longer have to be unique.";
    REQUEST_BODY_MULTIPLE_OF_SET "request-body-multiple-of-set" Breaking Oasdiff "The request body must now be a multiple of a number: other values are refused.";
    REQUEST_BODY_MULTIPLE_OF_UNSET "request-body-multiple-of-unset" Info Oasdiff "The request body no longer has to be a multiple of a number.";
    REQUEST_BODY_MULTIPLE_OF_CHANGED "request-body-multiple-of-changed" Breaking Oasdiff "The request body must be a multiple of another number, which the old multiples need not be.";
    RESPONSE_BODY_EXCLUSIVE_MAX_INCREASED "response-body-exclusive-max-increased" Warning OasdiffAt(Breaking) "The response body's exclusive maximum was raised or removed: clients may read larger values.";
    RESPONSE_BODY_EXCLUSIVE_MIN_DECREASED "response-body-exclusive-min-decreased" Warning OasdiffAt(Breaking) "The response body's exclusive minimum was lowered or removed: clients may read smaller values.";
    RESPONSE_BODY_MAX_ITEMS_INCREASED "response-body-max-items-increased" Warning OasdiffAt(Breaking) "The response body's maximum number of items was raised or removed: clients may read longer arrays.";
    RESPONSE_BODY_MAX_PROPERTIES_INCREASED "response-body-max-properties-increased" Warning OasdiffAt(Breaking) "The response body's maximum number of properties was raised or removed.";
    RESPONSE_BODY_MIN_PROPERTIES_DECREASED "response-body-min-properties-decreased" Warning OasdiffAt(Breaking) "The response body's minimum number of properties was lowered or removed.";
    RESPONSE_BODY_UNIQUE_ITEMS_UNSET "response-body-unique-items-unset" Warning OasdiffAt(Breaking) "The response body's items no longer have to be unique: clients may read repeats.";
    RESPONSE_BODY_MULTIPLE_OF_CHANGED "response-body-multiple-of-changed" Warning OasdiffAt(Breaking) "The response body may be a value that is not a multiple of the old number.";
    RESPONSE_BODY_MULTIPLE_OF_UNSET "response-body-multiple-of-unset" Warning OasdiffAt(Breaking) "The response body no longer has to be a multiple of a number: clients may read any value.";
    RESPONSE_PROPERTY_MULTIPLE_OF_UNSET "response-property-multiple-of-unset" Warning OasdiffAt(Breaking) "A response body property no longer has to be a multiple of a number: clients may read any value.";
    REQUEST_BODY_MULTIPLE_OF_GENERALIZED "request-body-multiple-of-generalized" Info Oasdiff "The request body's `multipleOf` became a divisor of the old one: every value it accepted still is.";
    REQUEST_PROPERTY_MULTIPLE_OF_GENERALIZED "request-property-multiple-of-generalized" Info Oasdiff "A request body property's `multipleOf` became a divisor of the old one: every value it accepted still is.";
    RESPONSE_BODY_MULTIPLE_OF_SPECIALIZED "response-body-multiple-of-specialized" Info Oasdiff "The response body's `multipleOf` became a multiple of the old one: every value a client may read was valid before.";
    RESPONSE_PROPERTY_MULTIPLE_OF_SPECIALIZED "response-property-multiple-of-specialized" Info Oasdiff "A response property's `multipleOf` became a multiple of the old one: every value a client may read was valid before.";
    RESPONSE_BODY_BECAME_NOT_NULLABLE "response-body-became-not-nullable" Info Oasdiff "The response body is no longer null.";
    RESPONSE_PROPERTY_BECAME_NOT_NULLABLE "response-property-became-not-nullable" Info Oasdiff "A response property is no longer null.";
    RESPONSE_BODY_DEFAULT_VALUE_ADDED "response-body-default-value-added" Info Oasdiff "The response body got a default.";
    RESPONSE_BODY_DEFAULT_VALUE_CHANGED "response-body-default-value-changed" Info Oasdiff "The response body's default changed.";
    RESPONSE_BODY_DEFAULT_VALUE_REMOVED "response-body-default-value-removed" Info Oasdiff "The response body lost its default.";
    RESPONSE_PROPERTY_DEFAULT_VALUE_ADDED "response-property-default-value-added" Info Oasdiff "A response property got a default.";
    RESPONSE_PROPERTY_DEFAULT_VALUE_CHANGED "response-property-default-value-changed" Info Oasdiff "A response property's default changed.";
    RESPONSE_PROPERTY_DEFAULT_VALUE_REMOVED "response-property-default-value-removed" Info Oasdiff "A response property lost its default.";
    RESPONSE_PROPERTY_PATTERN_ADDED "response-property-pattern-added" Info Oasdiff "A response value now matches a `pattern` (the body's, or a property's).";
    RESPONSE_PROPERTY_PATTERN_CHANGED "response-property-pattern-changed" Info Oasdiff "The `pattern` of a response value (the body, or a property) changed.";
    RESPONSE_PROPERTY_PATTERN_REMOVED "response-property-pattern-removed" Info Oasdiff "A response value (the body, or a property) no longer declares a `pattern`.";
    API_TAG_ADDED "api-tag-added" Info Oasdiff "An operation got a tag.";
    API_TAG_REMOVED "api-tag-removed" Info Oasdiff "An operation lost a tag.";
    REQUEST_PARAMETER_PROPERTY_ENUM_VALUE_ADDED "request-parameter-property-enum-value-added" Info Oasdiff "A property of an object parameter accepts a new enum value.";
    RESPONSE_MEDIATYPE_ENUM_VALUE_REMOVED "response-mediatype-enum-value-removed" Info Oasdiff "The response body no longer holds an enum value.";
    ENDPOINT_DEPRECATED_WITH_SUNSET "endpoint-deprecated-with-sunset" Info Oasdiff "An operation was marked deprecated, with an `x-sunset` date.";
    API_STABILITY_INCREASED "api-stability-increased" Info Oasdiff "An operation's `x-stability-level` went up (for example from `beta` to `stable`).";
    REQUEST_PROPERTY_DEPRECATED_WITH_SUNSET "request-property-deprecated-with-sunset" Info Oasdiff "A request body property was marked deprecated, with an `x-sunset` date.";
    RESPONSE_PROPERTY_DEPRECATED_WITH_SUNSET "response-property-deprecated-with-sunset" Info Oasdiff "A response property was marked deprecated, with an `x-sunset` date.";
    REQUEST_PROPERTY_DEPRECATED_SUNSET_INVALID "request-property-deprecated-sunset-invalid" Breaking Oasdiff "A deprecated request body property's `x-sunset` is not a date.";
    REQUEST_PROPERTY_DEPRECATED_SUNSET_MISSING "request-property-deprecated-sunset-missing" Breaking Oasdiff "A request body property was deprecated without an `x-sunset` date, where `--deprecation-days` asks for one.";
    REQUEST_PROPERTY_SUNSET_DATE_TOO_SMALL "request-property-sunset-date-too-small" Breaking Oasdiff "A request body property was deprecated with an `x-sunset` date fewer than `--deprecation-days` days ahead (by default, one already passed).";
    RESPONSE_PROPERTY_DEPRECATED_SUNSET_INVALID "response-property-deprecated-sunset-invalid" Breaking Oasdiff "A deprecated response property's `x-sunset` is not a date.";
    RESPONSE_PROPERTY_DEPRECATED_SUNSET_MISSING "response-property-deprecated-sunset-missing" Breaking Oasdiff "A response property was deprecated without an `x-sunset` date, where `--deprecation-days` asks for one.";
    RESPONSE_PROPERTY_SUNSET_DATE_TOO_SMALL "response-property-sunset-date-too-small" Breaking Oasdiff "A response property was deprecated with an `x-sunset` date fewer than `--deprecation-days` days ahead (by default, one already passed).";
    REQUEST_PROPERTY_STABILITY_DECREASED "request-property-stability-decreased" Breaking Oasdiff "A request body property's `x-stability-level` went down.";
    REQUEST_PROPERTY_STABILITY_INCREASED "request-property-stability-increased" Info Oasdiff "A request body property's `x-stability-level` went up.";
    RESPONSE_PROPERTY_STABILITY_DECREASED "response-property-stability-decreased" Breaking Oasdiff "A response property's `x-stability-level` went down.";
    RESPONSE_PROPERTY_STABILITY_INCREASED "response-property-stability-increased" Info Oasdiff "A response property's `x-stability-level` went up.";
    RESPONSE_BODY_TYPE_GENERALIZED "response-body-type-generalized" Breaking Oasdiff "The response body may now be of a wider type than clients read.";
    RESPONSE_BODY_TYPE_SPECIALIZED "response-body-type-specialized" Info Oasdiff "The response body is of a narrower type: clients still read it.";
    RESPONSE_BODY_TYPE_COMPATIBLE "response-body-type-compatible" Info Oasdiff "A response body of a media type that is not JSON (XML, text) that was a string is of another type: clients still read text.";
    REQUEST_PARAMETER_PROPERTY_TYPE_SPECIALIZED "request-parameter-property-type-specialized" Breaking Oasdiff "A property of an object parameter accepts a narrower type than before.";
    RESPONSE_HEADER_TYPE_CHANGED "response-header-type-changed" Breaking Oasdiff "A response header holds a different type.";
    RESPONSE_HEADER_TYPE_GENERALIZED "response-header-type-generalized" Breaking Oasdiff "A response header may hold a wider type than clients read.";
    RESPONSE_HEADER_TYPE_SPECIALIZED "response-header-type-specialized" Info Oasdiff "A response header holds a narrower type: clients still read it.";
    RESPONSE_HEADER_TYPE_COMPATIBLE "response-header-type-compatible" Info Oasdiff "A response header that was a plain string holds another type: on the wire it is still text.";
    RESPONSE_HEADER_BECAME_NULLABLE "response-header-became-nullable" Breaking Oasdiff "A response header may now be null.";
    RESPONSE_HEADER_BECAME_NOT_NULLABLE "response-header-became-not-nullable" Info Oasdiff "A response header is no longer null.";
    REQUEST_BODY_LIST_OF_TYPES_WIDENED "request-body-list-of-types-widened" Info Oasdiff "The request body, a list of types (`oneOf` of bare types), accepts another type.";
    REQUEST_BODY_LIST_OF_TYPES_NARROWED "request-body-list-of-types-narrowed" Breaking Oasdiff "The request body, a list of types (`oneOf` of bare types), no longer accepts one of its types.";
    REQUEST_PROPERTY_LIST_OF_TYPES_WIDENED "request-property-list-of-types-widened" Info Oasdiff "A request body property, a list of types (`oneOf` of bare types), accepts another type.";
    REQUEST_PROPERTY_LIST_OF_TYPES_NARROWED "request-property-list-of-types-narrowed" Breaking Oasdiff "A request body property, a list of types (`oneOf` of bare types), no longer accepts one of its types.";
    REQUEST_PARAMETER_LIST_OF_TYPES_WIDENED "request-parameter-list-of-types-widened" Info Oasdiff "A parameter, a list of types (`oneOf` of bare types), accepts another type.";
    REQUEST_PARAMETER_LIST_OF_TYPES_NARROWED "request-parameter-list-of-types-narrowed" Breaking Oasdiff "A parameter, a list of types (`oneOf` of bare types), no longer accepts one of its types.";
    REQUEST_PARAMETER_PROPERTY_LIST_OF_TYPES_WIDENED "request-parameter-property-list-of-types-widened" Info Oasdiff "A property of an object parameter, a list of types (`oneOf` of bare types), accepts another type.";
    REQUEST_PARAMETER_PROPERTY_LIST_OF_TYPES_NARROWED "request-parameter-property-list-of-types-narrowed" Breaking Oasdiff "A property of an object parameter, a list of types (`oneOf` of bare types), no longer accepts one of its types.";
    RESPONSE_BODY_LIST_OF_TYPES_WIDENED "response-body-list-of-types-widened" Breaking Oasdiff "The response body, a list of types (`oneOf` of bare types), may be of another type that clients do not read.";
    RESPONSE_BODY_LIST_OF_TYPES_NARROWED "response-body-list-of-types-narrowed" Info Oasdiff "The response body, a list of types (`oneOf` of bare types), is no longer one of its types: clients still read it.";
    RESPONSE_PROPERTY_LIST_OF_TYPES_WIDENED "response-property-list-of-types-widened" Breaking Oasdiff "A response property, a list of types (`oneOf` of bare types), may be of another type that clients do not read.";
    RESPONSE_PROPERTY_LIST_OF_TYPES_NARROWED "response-property-list-of-types-narrowed" Info Oasdiff "A response property, a list of types (`oneOf` of bare types), is no longer one of its types: clients still read it.";
    REQUEST_OPTIONAL_PROPERTY_BECAME_WRITE_ONLY "request-optional-property-became-write-only" Info Oasdiff "A request body property (optional) was marked `writeOnly`: nothing changes for clients on this side.";
    REQUEST_OPTIONAL_PROPERTY_BECAME_NOT_WRITE_ONLY "request-optional-property-became-not-write-only" Info Oasdiff "A request body property (optional) is no longer `writeOnly`: nothing changes for clients on this side.";
    REQUEST_REQUIRED_PROPERTY_BECAME_WRITE_ONLY "request-required-property-became-write-only" Info Oasdiff "A request body property (required) was marked `writeOnly`: nothing changes for clients on this side.";
    REQUEST_REQUIRED_PROPERTY_BECAME_NOT_WRITE_ONLY "request-required-property-became-not-write-only" Info Oasdiff "A request body property (required) is no longer `writeOnly`: nothing changes for clients on this side.";
    RESPONSE_OPTIONAL_PROPERTY_BECAME_READ_ONLY "response-optional-property-became-read-only" Info Oasdiff "A response property (optional) was marked `readOnly`: nothing changes for clients on this side.";
    RESPONSE_OPTIONAL_PROPERTY_BECAME_NOT_READ_ONLY "response-optional-property-became-not-read-only" Info Oasdiff "A response property (optional) is no longer `readOnly`: nothing changes for clients on this side.";
    RESPONSE_REQUIRED_PROPERTY_BECAME_READ_ONLY "response-required-property-became-read-only" Info Oasdiff "A response property (required) was marked `readOnly`: nothing changes for clients on this side.";
    RESPONSE_REQUIRED_PROPERTY_BECAME_NOT_READ_ONLY "response-required-property-became-not-read-only" Info Oasdiff "A response property (required) is no longer `readOnly`: nothing changes for clients on this side.";
    RESPONSE_OPTIONAL_WRITE_ONLY_PROPERTY_ADDED "response-optional-write-only-property-added" Info Oasdiff "A write-only (optional) property was added: responses never carry it.";
    RESPONSE_OPTIONAL_WRITE_ONLY_PROPERTY_REMOVED "response-optional-write-only-property-removed" Info Oasdiff "A write-only (optional) property was removed: responses never carry it.";
    RESPONSE_REQUIRED_WRITE_ONLY_PROPERTY_ADDED "response-required-write-only-property-added" Info Oasdiff "A write-only (required) property was added: responses never carry it.";
    RESPONSE_REQUIRED_WRITE_ONLY_PROPERTY_REMOVED "response-required-write-only-property-removed" Info Oasdiff "A write-only (required) property was removed: responses never carry it.";
    REQUEST_BODY_MEDIA_TYPE_SCHEMA_ADDED "request-body-media-type-schema-added" Breaking Oasdiff "A request media type that took any body now has a schema it must match.";
    REQUEST_BODY_MEDIA_TYPE_SCHEMA_REMOVED "request-body-media-type-schema-removed" Info Oasdiff "A request media type no longer has a schema: it takes any body.";
    REQUEST_BODY_MEDIA_TYPE_ITEM_SCHEMA_ADDED "request-body-media-type-item-schema-added" Breaking Oasdiff "A streamed request body's items now have a schema (`itemSchema`) they must match.";
    REQUEST_BODY_MEDIA_TYPE_ITEM_SCHEMA_REMOVED "request-body-media-type-item-schema-removed" Info Oasdiff "A streamed request body's items no longer have a schema (`itemSchema`).";
    RESPONSE_BODY_MEDIA_TYPE_SCHEMA_ADDED "response-body-media-type-schema-added" Info Oasdiff "A response media type now has a schema.";
    RESPONSE_BODY_MEDIA_TYPE_SCHEMA_REMOVED "response-body-media-type-schema-removed" Breaking Oasdiff "A response media type lost its schema: what clients read is no longer described.";
    RESPONSE_BODY_MEDIA_TYPE_ITEM_SCHEMA_ADDED "response-body-media-type-item-schema-added" Info Oasdiff "A streamed response's items now have a schema (`itemSchema`).";
    RESPONSE_BODY_MEDIA_TYPE_ITEM_SCHEMA_REMOVED "response-body-media-type-item-schema-removed" Breaking Oasdiff "A streamed response's items lost their schema (`itemSchema`); a whole-body schema remains.";
    RESPONSE_BODY_MEDIA_TYPE_ITEM_SCHEMA_REMOVED_UNTYPED "response-body-media-type-item-schema-removed-untyped" Breaking Oasdiff "A streamed response's items lost their schema (`itemSchema`), and nothing else describes the body.";
    REQUEST_BODY_IF_ADDED "request-body-if-added" Breaking Oasdiff "The request body gained `if`: values clients sent may be refused.";
    REQUEST_BODY_IF_REMOVED "request-body-if-removed" Info Oasdiff "The request body lost `if`: it accepts more.";
    REQUEST_BODY_THEN_ADDED "request-body-then-added" Breaking Oasdiff "The request body gained `then`: values clients sent may be refused.";
    REQUEST_BODY_THEN_REMOVED "request-body-then-removed" Info Oasdiff "The request body lost `then`: it accepts more.";
    REQUEST_BODY_ELSE_ADDED "request-body-else-added" Breaking Oasdiff "The request body gained `else`: values clients sent may be refused.";
    REQUEST_BODY_ELSE_REMOVED "request-body-else-removed" Info Oasdiff "The request body lost `else`: it accepts more.";
    REQUEST_BODY_CONTAINS_ADDED "request-body-contains-added" Breaking Oasdiff "The request body gained `contains`: values clients sent may be refused.";
    REQUEST_BODY_CONTAINS_REMOVED "request-body-contains-removed" Info Oasdiff "The request body lost `contains`: it accepts more.";
    REQUEST_BODY_PROPERTY_NAMES_ADDED "request-body-property-names-added" Breaking Oasdiff "The request body gained `propertyNames`: values clients sent may be refused.";
    REQUEST_BODY_PROPERTY_NAMES_REMOVED "request-body-property-names-removed" Info Oasdiff "The request body lost `propertyNames`: it accepts more.";
    REQUEST_BODY_UNEVALUATED_ITEMS_ADDED "request-body-unevaluated-items-added" Breaking Oasdiff "The request body gained `unevaluatedItems`: values clients sent may be refused.";
    REQUEST_BODY_UNEVALUATED_ITEMS_REMOVED "request-body-unevaluated-items-removed" Info Oasdiff "The request body lost `unevaluatedItems`: it accepts more.";
    REQUEST_BODY_UNEVALUATED_PROPERTIES_ADDED "request-body-unevaluated-properties-added" Breaking Oasdiff "The request body gained `unevaluatedProperties`: values clients sent may be refused.";
    REQUEST_BODY_UNEVALUATED_PROPERTIES_REMOVED "request-body-unevaluated-properties-removed" Info Oasdiff "The request body lost `unevaluatedProperties`: it accepts more.";
    REQUEST_BODY_CONTENT_SCHEMA_ADDED "request-body-content-schema-added" Breaking Oasdiff "The request body gained `contentSchema`: values clients sent may be refused.";
    REQUEST_BODY_CONTENT_SCHEMA_REMOVED "request-body-content-schema-removed" Info Oasdiff "The request body lost `contentSchema`: it accepts more.";
    REQUEST_BODY_DEPENDENT_REQUIRED_ADDED "request-body-dependent-required-added" Breaking Oasdiff "The request body gained a `dependentRequired` entry: values clients sent may be refused.";
    REQUEST_BODY_DEPENDENT_REQUIRED_REMOVED "request-body-dependent-required-removed" Info Oasdiff "The request body lost a `dependentRequired` entry: it accepts more.";
    REQUEST_BODY_DEPENDENT_SCHEMA_ADDED "request-body-dependent-schema-added" Breaking Oasdiff "The request body gained a `dependentSchemas` entry: values clients sent may be refused.";
    REQUEST_BODY_DEPENDENT_SCHEMA_REMOVED "request-body-dependent-schema-removed" Info Oasdiff "The request body lost a `dependentSchemas` entry: it accepts more.";
    REQUEST_BODY_PATTERN_PROPERTY_ADDED "request-body-pattern-property-added" Breaking Oasdiff "The request body gained a `patternProperties` entry: values clients sent may be refused.";
    REQUEST_BODY_PATTERN_PROPERTY_REMOVED "request-body-pattern-property-removed" Info Oasdiff "The request body lost a `patternProperties` entry: it accepts more.";
    REQUEST_BODY_PREFIX_ITEMS_ADDED "request-body-prefix-items-added" Info Oasdiff "The request body gained `prefixItems` entries: it accepts more.";
    REQUEST_BODY_PREFIX_ITEMS_REMOVED "request-body-prefix-items-removed" Breaking Oasdiff "The request body lost `prefixItems` entries: values clients sent may be refused.";
    REQUEST_BODY_DEPENDENT_REQUIRED_CHANGED "request-body-dependent-required-changed" Breaking Oasdiff "The request body changed the properties a `dependentRequired` entry requires.";
    REQUEST_BODY_CONTENT_MEDIA_TYPE_CHANGED "request-body-content-media-type-changed" Breaking Oasdiff "The request body changed its `contentMediaType`: the string is encoded differently.";
    REQUEST_BODY_CONTENT_ENCODING_CHANGED "request-body-content-encoding-changed" Breaking Oasdiff "The request body changed its `contentEncoding`: the string is encoded differently.";
    REQUEST_BODY_MIN_CONTAINS_INCREASED "request-body-min-contains-increased" Breaking Oasdiff "The request body's `minContains` increased.";
    REQUEST_BODY_MIN_CONTAINS_DECREASED "request-body-min-contains-decreased" Info Oasdiff "The request body's `minContains` decreased.";
    REQUEST_BODY_MAX_CONTAINS_INCREASED "request-body-max-contains-increased" Info Oasdiff "The request body's `maxContains` increased.";
    REQUEST_BODY_MAX_CONTAINS_DECREASED "request-body-max-contains-decreased" Breaking Oasdiff "The request body's `maxContains` decreased.";
    REQUEST_PROPERTY_IF_ADDED "request-property-if-added" Breaking Oasdiff "A request body property gained `if`: values clients sent may be refused.";
    REQUEST_PROPERTY_IF_REMOVED "request-property-if-removed" Info Oasdiff "A request body property lost `if`: it accepts more.";
    REQUEST_PROPERTY_THEN_ADDED "request-property-then-added" Breaking Oasdiff "A request body property gained `then`: values clients sent may be refused.";
    REQUEST_PROPERTY_THEN_REMOVED "request-property-then-removed" Info Oasdiff "A request body property lost `then`: it accepts more.";
    REQUEST_PROPERTY_ELSE_ADDED "request-property-else-added" Breaking Oasdiff "A request body property gained `else`: values clients sent may be refused.";
    REQUEST_PROPERTY_ELSE_REMOVED "request-property-else-removed" Info Oasdiff "A request body property lost `else`: it accepts more.";
    REQUEST_PROPERTY_CONTAINS_ADDED "request-property-contains-added" Breaking Oasdiff "A request body property gained `contains`: values clients sent may be refused.";
    REQUEST_PROPERTY_CONTAINS_REMOVED "request-property-contains-removed" Info Oasdiff "A request body property lost `contains`: it accepts more.";
    REQUEST_PROPERTY_PROPERTY_NAMES_ADDED "request-property-property-names-added" Breaking Oasdiff "A request body property gained `propertyNames`: values clients sent may be refused.";
    REQUEST_PROPERTY_PROPERTY_NAMES_REMOVED "request-property-property-names-removed" Info Oasdiff "A request body property lost `propertyNames`: it accepts more.";
    REQUEST_PROPERTY_UNEVALUATED_ITEMS_ADDED "request-property-unevaluated-items-added" Breaking Oasdiff "A request body property gained `unevaluatedItems`: values clients sent may be refused.";
    REQUEST_PROPERTY_UNEVALUATED_ITEMS_REMOVED "request-property-unevaluated-items-removed" Info Oasdiff "A request body property lost `unevaluatedItems`: it accepts more.";
    REQUEST_PROPERTY_UNEVALUATED_PROPERTIES_ADDED "request-property-unevaluated-properties-added" Breaking Oasdiff "A request body property gained `unevaluatedProperties`: values clients sent may be refused.";
    REQUEST_PROPERTY_UNEVALUATED_PROPERTIES_REMOVED "request-property-unevaluated-properties-removed" Info Oasdiff "A request body property lost `unevaluatedProperties`: it accepts more.";
    REQUEST_PROPERTY_CONTENT_SCHEMA_ADDED "request-property-content-schema-added" Breaking Oasdiff "A request body property gained `contentSchema`: values clients sent may be refused.";
    REQUEST_PROPERTY_CONTENT_SCHEMA_REMOVED "request-property-content-schema-removed" Info Oasdiff "A request body property lost `contentSchema`: it accepts more.";
    REQUEST_PROPERTY_DEPENDENT_REQUIRED_ADDED "request-property-dependent-required-added" Breaking Oasdiff "A request body property gained a `dependentRequired` entry: values clients sent may be refused.";
    REQUEST_PROPERTY_DEPENDENT_REQUIRED_REMOVED "request-property-dependent-required-removed" Info Oasdiff "A request body property lost a `dependentRequired` entry: it accepts more.";
    REQUEST_PROPERTY_DEPENDENT_SCHEMA_ADDED "request-property-dependent-schema-added" Breaking Oasdiff "A request body property gained a `dependentSchemas` entry: values clients sent may be refused.";
    REQUEST_PROPERTY_DEPENDENT_SCHEMA_REMOVED "request-property-dependent-schema-removed" Info Oasdiff "A request body property lost a `dependentSchemas` entry: it accepts more.";
    REQUEST_PROPERTY_PATTERN_PROPERTY_ADDED "request-property-pattern-property-added" Breaking Oasdiff "A request body property gained a `patternProperties` entry: values clients sent may be refused.";
    REQUEST_PROPERTY_PATTERN_PROPERTY_REMOVED "request-property-pattern-property-removed" Info Oasdiff "A request body property lost a `patternProperties` entry: it accepts more.";
    REQUEST_PROPERTY_PREFIX_ITEMS_ADDED "request-property-prefix-items-added" Info Oasdiff "A request body property gained `prefixItems` entries: it accepts more.";
    REQUEST_PROPERTY_PREFIX_ITEMS_REMOVED "request-property-prefix-items-removed" Breaking Oasdiff "A request body property lost `prefixItems` entries: values clients sent may be refused.";
    REQUEST_PROPERTY_DEPENDENT_REQUIRED_CHANGED "request-property-dependent-required-changed" Breaking Oasdiff "A request body property changed the properties a `dependentRequired` entry requires.";
    REQUEST_PROPERTY_CONTENT_MEDIA_TYPE_CHANGED "request-property-content-media-type-changed" Breaking Oasdiff "A request body property changed its `contentMediaType`: the string is encoded differently.";
    REQUEST_PROPERTY_CONTENT_ENCODING_CHANGED "request-property-content-encoding-changed" Breaking Oasdiff "A request body property changed its `contentEncoding`: the string is encoded differently.";
    REQUEST_PROPERTY_MIN_CONTAINS_INCREASED "request-property-min-contains-increased" Breaking Oasdiff "A request body property's `minContains` increased.";
    REQUEST_PROPERTY_MIN_CONTAINS_DECREASED "request-property-min-contains-decreased" Info Oasdiff "A request body property's `minContains` decreased.";
    REQUEST_PROPERTY_MAX_CONTAINS_INCREASED "request-property-max-contains-increased" Info Oasdiff "A request body property's `maxContains` increased.";
    REQUEST_PROPERTY_MAX_CONTAINS_DECREASED "request-property-max-contains-decreased" Breaking Oasdiff "A request body property's `maxContains` decreased.";
    RESPONSE_BODY_IF_ADDED "response-body-if-added" Info Oasdiff "The response body gained `if`: what clients read is narrower.";
    RESPONSE_BODY_IF_REMOVED "response-body-if-removed" Breaking Oasdiff "The response body lost `if`: clients may read values they do not expect.";
    RESPONSE_BODY_THEN_ADDED "response-body-then-added" Info Oasdiff "The response body gained `then`: what clients read is narrower.";
    RESPONSE_BODY_THEN_REMOVED "response-body-then-removed" Breaking Oasdiff "The response body lost `then`: clients may read values they do not expect.";
    RESPONSE_BODY_ELSE_ADDED "response-body-else-added" Info Oasdiff "The response body gained `else`: what clients read is narrower.";
    RESPONSE_BODY_ELSE_REMOVED "response-body-else-removed" Breaking Oasdiff "The response body lost `else`: clients may read values they do not expect.";
    RESPONSE_BODY_CONTAINS_ADDED "response-body-contains-added" Info Oasdiff "The response body gained `contains`: what clients read is narrower.";
    RESPONSE_BODY_CONTAINS_REMOVED "response-body-contains-removed" Breaking Oasdiff "The response body lost `contains`: clients may read values they do not expect.";
    RESPONSE_BODY_PROPERTY_NAMES_ADDED "response-body-property-names-added" Info Oasdiff "The response body gained `propertyNames`: what clients read is narrower.";
    RESPONSE_BODY_PROPERTY_NAMES_REMOVED "response-body-property-names-removed" Breaking Oasdiff "The response body lost `propertyNames`: clients may read values they do not expect.";
    RESPONSE_BODY_UNEVALUATED_ITEMS_ADDED "response-body-unevaluated-items-added" Info Oasdiff "The response body gained `unevaluatedItems`: what clients read is narrower.";
    RESPONSE_BODY_UNEVALUATED_ITEMS_REMOVED "response-body-unevaluated-items-removed" Breaking Oasdiff "The response body lost `unevaluatedItems`: clients may read values they do not expect.";
    RESPONSE_BODY_UNEVALUATED_PROPERTIES_ADDED "response-body-unevaluated-properties-added" Info Oasdiff "The response body gained `unevaluatedProperties`: what clients read is narrower.";
    RESPONSE_BODY_UNEVALUATED_PROPERTIES_REMOVED "response-body-unevaluated-properties-removed" Breaking Oasdiff "The response body lost `unevaluatedProperties`: clients may read values they do not expect.";
    RESPONSE_BODY_CONTENT_SCHEMA_ADDED "response-body-content-schema-added" Info Oasdiff "The response body gained `contentSchema`: what clients read is narrower.";
    RESPONSE_BODY_CONTENT_SCHEMA_REMOVED "response-body-content-schema-removed" Breaking Oasdiff "The response body lost `contentSchema`: clients may read values they do not expect.";
    RESPONSE_BODY_DEPENDENT_REQUIRED_ADDED "response-body-dependent-required-added" Info Oasdiff "The response body gained a `dependentRequired` entry: what clients read is narrower.";
    RESPONSE_BODY_DEPENDENT_REQUIRED_REMOVED "response-body-dependent-required-removed" Breaking Oasdiff "The response body lost a `dependentRequired` entry: clients may read values they do not expect.";
    RESPONSE_BODY_DEPENDENT_SCHEMA_ADDED "response-body-dependent-schema-added" Info Oasdiff "The response body gained a `dependentSchemas` entry: what clients read is narrower.";
    RESPONSE_BODY_DEPENDENT_SCHEMA_REMOVED "response-body-dependent-schema-removed" Breaking Oasdiff "The response body lost a `dependentSchemas` entry: clients may read values they do not expect.";
    RESPONSE_BODY_PATTERN_PROPERTY_ADDED "response-body-pattern-property-added" Info Oasdiff "The response body gained a `patternProperties` entry: what clients read is narrower.";
    RESPONSE_BODY_PATTERN_PROPERTY_REMOVED "response-body-pattern-property-removed" Breaking Oasdiff "The response body lost a `patternProperties` entry: clients may read values they do not expect.";
    RESPONSE_BODY_PREFIX_ITEMS_ADDED "response-body-prefix-items-added" Breaking Oasdiff "The response body gained `prefixItems` entries: clients may read values they do not expect.";
    RESPONSE_BODY_PREFIX_ITEMS_REMOVED "response-body-prefix-items-removed" Info Oasdiff "The response body lost `prefixItems` entries: what clients read is narrower.";
    RESPONSE_BODY_DEPENDENT_REQUIRED_CHANGED "response-body-dependent-required-changed" Breaking Oasdiff "The response body changed the properties a `dependentRequired` entry requires.";
    RESPONSE_BODY_CONTENT_MEDIA_TYPE_CHANGED "response-body-content-media-type-changed" Breaking Oasdiff "The response body changed its `contentMediaType`: the string is encoded differently.";
    RESPONSE_BODY_CONTENT_ENCODING_CHANGED "response-body-content-encoding-changed" Breaking Oasdiff "The response body changed its `contentEncoding`: the string is encoded differently.";
    RESPONSE_BODY_MIN_CONTAINS_INCREASED "response-body-min-contains-increased" Info Oasdiff "The response body's `minContains` increased.";
    RESPONSE_BODY_MIN_CONTAINS_DECREASED "response-body-min-contains-decreased" Breaking Oasdiff "The response body's `minContains` decreased.";
    RESPONSE_BODY_MAX_CONTAINS_INCREASED "response-body-max-contains-increased" Breaking Oasdiff "The response body's `maxContains` increased.";
    RESPONSE_BODY_MAX_CONTAINS_DECREASED "response-body-max-contains-decreased" Info Oasdiff "The response body's `maxContains` decreased.";
    RESPONSE_PROPERTY_IF_ADDED "response-property-if-added" Info Oasdiff "A response property gained `if`: what clients read is narrower.";
    RESPONSE_PROPERTY_IF_REMOVED "response-property-if-removed" Breaking Oasdiff "A response property lost `if`: clients may read values they do not expect.";
    RESPONSE_PROPERTY_THEN_ADDED "response-property-then-added" Info Oasdiff "A response property gained `then`: what clients read is narrower.";
    RESPONSE_PROPERTY_THEN_REMOVED "response-property-then-removed" Breaking Oasdiff "A response property lost `then`: clients may read values they do not expect.";
    RESPONSE_PROPERTY_ELSE_ADDED "response-property-else-added" Info Oasdiff "A response property gained `else`: what clients read is narrower.";
    RESPONSE_PROPERTY_ELSE_REMOVED "response-property-else-removed" Breaking Oasdiff "A response property lost `else`: clients may read values they do not expect.";
    RESPONSE_PROPERTY_CONTAINS_ADDED "response-property-contains-added" Info Oasdiff "A response property gained `contains`: what clients read is narrower.";
    RESPONSE_PROPERTY_CONTAINS_REMOVED "response-property-contains-removed" Breaking Oasdiff "A response property lost `contains`: clients may read values they do not expect.";
    RESPONSE_PROPERTY_PROPERTY_NAMES_ADDED "response-property-property-names-added" Info Oasdiff "A response property gained `propertyNames`: what clients read is narrower.";
    RESPONSE_PROPERTY_PROPERTY_NAMES_REMOVED "response-property-property-names-removed" Breaking Oasdiff "A response property lost `propertyNames`: clients may read values they do not expect.";
    RESPONSE_PROPERTY_UNEVALUATED_ITEMS_ADDED "response-property-unevaluated-items-added" Info Oasdiff "A response property gained `unevaluatedItems`: what clients read is narrower.";
    RESPONSE_PROPERTY_UNEVALUATED_ITEMS_REMOVED "response-property-unevaluated-items-removed" Breaking Oasdiff "A response property lost `unevaluatedItems`: clients may read values they do not expect.";
    RESPONSE_PROPERTY_UNEVALUATED_PROPERTIES_ADDED "response-property-unevaluated-properties-added" Info Oasdiff "A response property gained `unevaluatedProperties`: what clients read is narrower.";
    RESPONSE_PROPERTY_UNEVALUATED_PROPERTIES_REMOVED "response-property-unevaluated-properties-removed" Breaking Oasdiff "A response property lost `unevaluatedProperties`: clients may read values they do not expect.";
    RESPONSE_PROPERTY_CONTENT_SCHEMA_ADDED "response-property-content-schema-added" Info Oasdiff "A response property gained `contentSchema`: what clients read is narrower.";
    RESPONSE_PROPERTY_CONTENT_SCHEMA_REMOVED "response-property-content-schema-removed" Breaking Oasdiff "A response property lost `contentSchema`: clients may read values they do not expect.";
    RESPONSE_PROPERTY_DEPENDENT_REQUIRED_ADDED "response-property-dependent-required-added" Info Oasdiff "A response property gained a `dependentRequired` entry: what clients read is narrower.";
    RESPONSE_PROPERTY_DEPENDENT_REQUIRED_REMOVED "response-property-dependent-required-removed" Breaking Oasdiff "A response property lost a `dependentRequired` entry: clients may read values they do not expect.";
    RESPONSE_PROPERTY_DEPENDENT_SCHEMA_ADDED "response-property-dependent-schema-added" Info Oasdiff "A response property gained a `dependentSchemas` entry: what clients read is narrower.";
    RESPONSE_PROPERTY_DEPENDENT_SCHEMA_REMOVED "response-property-dependent-schema-removed" Breaking Oasdiff "A response property lost a `dependentSchemas` entry: clients may read values they do not expect.";
    RESPONSE_PROPERTY_PATTERN_PROPERTY_ADDED "response-property-pattern-property-added" Info Oasdiff "A response property gained a `patternProperties` entry: what clients read is narrower.";
    RESPONSE_PROPERTY_PATTERN_PROPERTY_REMOVED "response-property-pattern-property-removed" Breaking Oasdiff "A response property lost a `patternProperties` entry: clients may read values they do not expect.";
    RESPONSE_PROPERTY_PREFIX_ITEMS_ADDED "response-property-prefix-items-added" Breaking Oasdiff "A response property gained `prefixItems` entries: clients may read values they do not expect.";
    RESPONSE_PROPERTY_PREFIX_ITEMS_REMOVED "response-property-prefix-items-removed" Info Oasdiff "A response property lost `prefixItems` entries: what clients read is narrower.";
    RESPONSE_PROPERTY_DEPENDENT_REQUIRED_CHANGED "response-property-dependent-required-changed" Breaking Oasdiff "A response property changed the properties a `dependentRequired` entry requires.";
    RESPONSE_PROPERTY_CONTENT_MEDIA_TYPE_CHANGED "response-property-content-media-type-changed" Breaking Oasdiff "A response property changed its `contentMediaType`: the string is encoded differently.";
    RESPONSE_PROPERTY_CONTENT_ENCODING_CHANGED "response-property-content-encoding-changed" Breaking Oasdiff "A response property changed its `contentEncoding`: the string is encoded differently.";
    RESPONSE_PROPERTY_MIN_CONTAINS_INCREASED "response-property-min-contains-increased" Info Oasdiff "A response property's `minContains` increased.";
    RESPONSE_PROPERTY_MIN_CONTAINS_DECREASED "response-property-min-contains-decreased" Breaking Oasdiff "A response property's `minContains` decreased.";
    RESPONSE_PROPERTY_MAX_CONTAINS_INCREASED "response-property-max-contains-increased" Breaking Oasdiff "A response property's `maxContains` increased.";
    RESPONSE_PROPERTY_MAX_CONTAINS_DECREASED "response-property-max-contains-decreased" Info Oasdiff "A response property's `maxContains` decreased.";
    RUST_ITEM_REMOVED "rust-item-removed" Breaking Own "A public item of the generated Rust client was removed.";
    RUST_SIGNATURE_CHANGED "rust-signature-changed" Breaking Own "A public item of the generated Rust client changed its signature or type.";
    RUST_ITEM_ADDED "rust-item-added" Info Own "A public item was added to the generated Rust client.";
}

/// Whether a rule reports a removed operation (whatever its deprecation).
pub fn is_operation_removal(rule: &Rule) -> bool {
    rule.id.starts_with("api-path-removed-") || rule.id.starts_with("api-removed-")
}

/// The rule table of `crates/specdiff/README.md` (written there by `cargo xtask codegen`):
/// one row per rule, in catalogue order.
pub fn markdown_table() -> String {
    let mut table = String::from("| rule | level | origin | the change |\n| --- | --- | --- | --- |\n");
    for rule in RULES {
        let (id, level, origin) = (rule.id, rule.level.name(), rule.origin.name());
        table.push_str(&format!("| `{id}` | {level} | {origin} | {} |\n", rule.summary));
    }
    table
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_unique_and_kebab_case() {
        let mut ids: Vec<_> = RULES.iter().map(|r| r.id).collect();
        assert!(ids.iter().all(|id| id.chars().all(|c| c.is_ascii_lowercase() || c == '-')));
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), RULES.len());
        assert_eq!(API_REMOVED_WITHOUT_DEPRECATION.level, Level::Breaking);
    }

    #[test]
    fn the_table_says_whose_id_each_rule_is() {
        let table = markdown_table();
        assert!(table.contains("| `request-body-one-of-removed` | breaking | oasdiff |"));
        assert!(table.contains("| `security-scheme-changed` | breaking | own |"));
        assert!(table.contains("| `response-optional-property-removed` | warning | oasdiff (info there) |"));
        assert!(
            RULES.iter().all(|r| r.origin != Origin::OasdiffAt(r.level)),
            "a level said to differ is the same"
        );
        assert!(RULES.iter().filter(|r| r.id.starts_with("rust-")).all(|r| r.origin == Origin::Own));
    }
}
