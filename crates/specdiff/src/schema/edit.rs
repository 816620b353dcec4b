//! What the schema comparison can find, as typed edits.

/// A union's keyword.
pub(super) use super::view::Union;

/// A bound a schema sets on its values, as rule ids name it (an exclusive numeric bound has
/// ids of its own).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(super) enum BoundName {
    Max,
    ExclusiveMax,
    Min,
    ExclusiveMin,
    MaxLength,
    MinLength,
    MaxItems,
    MinItems,
    MaxProperties,
    MinProperties,
}

/// What became of a bound.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(super) enum Move {
    /// There was none; now there is one.
    Set,
    /// There was one; now there is none.
    Unset,
    /// It admits fewer values.
    Tightened,
    /// It admits more values.
    Loosened,
}

/// A JSON Schema 2020-12 keyword that constrains a value by being there (or an entry of it).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(super) enum Keyword {
    If,
    Then,
    Else,
    Contains,
    PropertyNames,
    UnevaluatedItems,
    UnevaluatedProperties,
    ContentSchema,
    DependentRequired,
    DependentSchema,
    PatternProperty,
    PrefixItems,
}

/// One edit the schema comparison finds, whatever the place: the table in `table.rs` says
/// under which rule each place reports it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(super) enum Edit {
    /// Every value of the old type is a value of the new one.
    TypeWidened,
    /// Every value of the new type is a value of the old one.
    TypeNarrowed,
    /// Where values travel as text (a header, a body that is not JSON), a plain string
    /// became another type.
    TypeFromText,
    /// Where values travel as text, another type became a plain string.
    TypeToText,
    /// Neither type covers the other.
    TypeChanged,
    BecameNullable,
    BecameNotNullable,
    EnumValueRemoved,
    EnumValueAdded,
    /// A schema without an `enum` got one.
    BecameEnum,
    XExtensibleEnumValueRemoved,
    /// `additionalProperties: false` was set.
    Closed,
    /// `additionalProperties: false` was lifted.
    Opened,
    ListOfTypesWidened,
    ListOfTypesNarrowed,
    BranchRemoved(Union),
    BranchAdded(Union),
    /// A schema became a `oneOf` of alternatives, none of them the schema it was.
    WrappedInOneOf,
    /// A schema became a `oneOf` of alternatives, one of them the schema it was.
    WrappedInOneOfOriginalPreserved,
    AllOfRemoved,
    AllOfAdded,
    /// An `allOf` member of annotations only (a title, a description) went.
    AllOfRemovedAnnotationOnly,
    /// An `allOf` member of annotations only came.
    AllOfAddedAnnotationOnly,
    Bound(BoundName, Move),
    MultipleOfSet,
    MultipleOfUnset,
    /// The new multiple divides the old one: more values pass.
    MultipleOfRelaxed,
    /// The old multiple divides the new one: fewer values pass.
    MultipleOfTightened,
    MultipleOfChanged,
    UniqueItemsSet,
    UniqueItemsUnset,
    ConstAdded,
    ConstRemoved,
    ConstChanged,
    NotAdded,
    NotRemoved,
    NotChanged,
    DefaultAdded,
    DefaultRemoved,
    DefaultChanged,
    PatternAdded,
    PatternRemoved,
    PatternChanged,
    Gained(Keyword),
    Lost(Keyword),
    DependentRequiredChanged,
    MinContainsIncreased,
    MinContainsDecreased,
    MaxContainsIncreased,
    MaxContainsDecreased,
    ContentMediaTypeChanged,
    ContentEncodingChanged,
    DiscriminatorAdded,
    DiscriminatorRemoved,
    DiscriminatorPropertyNameChanged,
    DiscriminatorMappingDeleted,
    DiscriminatorMappingChanged,
    DiscriminatorMappingAdded,
}
