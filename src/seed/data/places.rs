//! Where the demo directory is: Copenhagen's districts, housing areas for older citizens, streets
//! per district, and the venues and accessibility features activities draw from.

/// Copenhagen's ten districts (bydele): (code, name, latitude, longitude), in display order.
pub const DISTRICTS: [(&str, &str, f64, f64); 10] = [
    ("indre_by", "Indre By", 55.6786, 12.5778),
    ("osterbro", "Østerbro", 55.7060, 12.5750),
    ("norrebro", "Nørrebro", 55.6940, 12.5480),
    ("vesterbro_kongens_enghave", "Vesterbro/Kongens Enghave", 55.6620, 12.5400),
    ("valby", "Valby", 55.6600, 12.5050),
    ("vanlose", "Vanløse", 55.6870, 12.4880),
    ("bronshoj_husum", "Brønshøj-Husum", 55.7080, 12.4920),
    ("bispebjerg", "Bispebjerg", 55.7110, 12.5380),
    ("amager_ost", "Amager Øst", 55.6630, 12.6050),
    ("amager_vest", "Amager Vest", 55.6420, 12.5700),
];

/// Housing estates and elderly housing: (code, name, district code, latitude, longitude).
pub const HOUSING_AREAS: [(&str, &str, &str, f64, f64); 18] = [
    ("solvgade_aeldreboliger", "Sølvgade ældreboliger", "indre_by", 55.6880, 12.5780),
    ("strandvejen_aeldreboliger", "Strandvejen ældreboliger", "osterbro", 55.7175, 12.5800),
    ("mjolnerparken", "Mjølnerparken", "norrebro", 55.6985, 12.5410),
    ("lundtoftegade", "Lundtoftegade", "norrebro", 55.6955, 12.5430),
    ("saxogade_aeldreboliger", "Saxogade ældreboliger", "vesterbro_kongens_enghave", 55.6700, 12.5480),
    ("sjaelor_boulevard", "Sjælør Boulevard", "vesterbro_kongens_enghave", 55.6490, 12.5230),
    ("akacieparken", "Akacieparken", "valby", 55.6575, 12.4980),
    ("folehaven", "Folehaven", "valby", 55.6450, 12.4960),
    ("vanlose_aeldreboliger", "Vanløse ældreboliger", "vanlose", 55.6870, 12.4900),
    ("tingbjerg", "Tingbjerg", "bronshoj_husum", 55.7185, 12.4805),
    ("husumgard", "Husumgård", "bronshoj_husum", 55.7120, 12.4680),
    ("bellahoj", "Bellahøj", "bronshoj_husum", 55.7040, 12.5090),
    ("bispeparken", "Bispeparken", "bispebjerg", 55.7080, 12.5340),
    ("degnegarden", "Degnegården", "bispebjerg", 55.7165, 12.5280),
    ("tagensbo", "Tagensbo", "bispebjerg", 55.7060, 12.5420),
    ("horgarden", "Hørgården", "amager_ost", 55.6535, 12.6055),
    ("urbanplanen", "Urbanplanen", "amager_vest", 55.6560, 12.5920),
    ("orestad_plejecenter", "Ørestad Plejecenter", "amager_vest", 55.6290, 12.5780),
];

/// A street: (name, postcode, "where" phrase for activity names, such as "i Sydhavnen").
pub type Street = (&'static str, &'static str, &'static str);

/// Streets per district: (district code, streets). Frederiksberg is a municipality of its own, so
/// none of its streets are here.
#[rustfmt::skip]
pub const STREETS: [(&str, &[Street]); 10] = [
    ("indre_by", &[
        ("Gothersgade", "1123", "i Indre By"), ("Store Kongensgade", "1264", "i Indre By"),
        ("Sølvgade", "1307", "i Indre By"), ("Kronprinsessegade", "1306", "i Indre By"),
        ("Nansensgade", "1366", "i Indre By"), ("Borgergade", "1300", "i Indre By"),
        ("Torvegade", "1400", "på Christianshavn"), ("Dronningensgade", "1420", "på Christianshavn"),
        ("Prinsessegade", "1422", "på Christianshavn"),
    ]),
    ("osterbro", &[
        ("Østerbrogade", "2100", "på Østerbro"), ("Nordre Frihavnsgade", "2100", "på Østerbro"),
        ("Strandboulevarden", "2100", "på Østerbro"), ("Classensgade", "2100", "på Østerbro"),
        ("Kildevældsgade", "2100", "på Østerbro"), ("Bryggervangen", "2100", "på Østerbro"),
        ("Landskronagade", "2100", "på Østerbro"), ("Vognmandsmarken", "2100", "på Østerbro"),
    ]),
    ("norrebro", &[
        ("Nørrebrogade", "2200", "på Nørrebro"), ("Jagtvej", "2200", "på Nørrebro"),
        ("Blågårdsgade", "2200", "på Nørrebro"), ("Rantzausgade", "2200", "på Nørrebro"),
        ("Heimdalsgade", "2200", "på Nørrebro"), ("Mimersgade", "2200", "på Nørrebro"),
        ("Griffenfeldsgade", "2200", "på Nørrebro"), ("Hans Tavsens Gade", "2200", "på Nørrebro"),
        ("Bragesgade", "2200", "på Nørrebro"),
    ]),
    ("vesterbro_kongens_enghave", &[
        ("Istedgade", "1650", "på Vesterbro"), ("Vesterbrogade", "1620", "på Vesterbro"),
        ("Enghavevej", "1674", "på Vesterbro"), ("Saxogade", "1662", "på Vesterbro"),
        ("Sønder Boulevard", "1720", "på Vesterbro"), ("Valdemarsgade", "1665", "på Vesterbro"),
        ("Sydhavnsgade", "2450", "i Sydhavnen"), ("Mozartsvej", "2450", "i Sydhavnen"),
        ("Borgbygade", "2450", "i Sydhavnen"), ("Wagnersvej", "2450", "i Sydhavnen"),
    ]),
    ("valby", &[
        ("Valby Langgade", "2500", "i Valby"), ("Toftegårds Allé", "2500", "i Valby"),
        ("Gammel Køge Landevej", "2500", "i Valby"), ("Vigerslev Allé", "2500", "i Valby"),
        ("Trekronergade", "2500", "i Valby"), ("Ålholmvej", "2500", "i Valby"),
        ("Mosedalvej", "2500", "i Valby"), ("Lyshøjgårdsvej", "2500", "i Valby"),
    ]),
    ("vanlose", &[
        ("Jernbane Allé", "2720", "i Vanløse"), ("Ålekistevej", "2720", "i Vanløse"),
        ("Vanløse Allé", "2720", "i Vanløse"), ("Apollovej", "2720", "i Vanløse"),
        ("Hyltebjerg Allé", "2720", "i Vanløse"), ("Slotsherrensvej", "2720", "i Vanløse"),
        ("Vanløse Byvej", "2720", "i Vanløse"),
    ]),
    ("bronshoj_husum", &[
        ("Frederikssundsvej", "2700", "i Brønshøj"), ("Brønshøj Torv", "2700", "i Brønshøj"),
        ("Brønshøj Kirkevej", "2700", "i Brønshøj"), ("Husumvej", "2700", "i Husum"),
        ("Krabbesholmvej", "2700", "i Husum"), ("Gadelandet", "2700", "i Husum"),
        ("Ruten", "2700", "i Tingbjerg"), ("Bystævnet", "2700", "i Tingbjerg"),
    ]),
    ("bispebjerg", &[
        ("Tomsgårdsvej", "2400", "i Nordvest"), ("Frederiksborgvej", "2400", "på Bispebjerg"),
        ("Rentemestervej", "2400", "i Nordvest"), ("Glasvej", "2400", "i Nordvest"),
        ("Emdrupvej", "2400", "på Bispebjerg"), ("Dortheavej", "2400", "i Nordvest"),
        ("Tagensvej", "2400", "på Bispebjerg"), ("Bispebjerg Parkallé", "2400", "på Bispebjerg"),
    ]),
    ("amager_ost", &[
        ("Amagerbrogade", "2300", "på Amager"), ("Holmbladsgade", "2300", "på Amager"),
        ("Øresundsvej", "2300", "på Amager"), ("Prags Boulevard", "2300", "på Amager"),
        ("Kastrupvej", "2300", "på Amager"), ("Italiensvej", "2300", "på Amager"),
        ("Strandlodsvej", "2300", "på Amager"), ("Lergravsvej", "2300", "på Amager"),
    ]),
    ("amager_vest", &[
        ("Amager Boulevard", "2300", "på Amager"), ("Islands Brygge", "2300", "på Islands Brygge"),
        ("Artillerivej", "2300", "på Islands Brygge"), ("Sundholmsvej", "2300", "på Amager"),
        ("Englandsvej", "2300", "på Amager"), ("Brigadevej", "2300", "på Amager"),
        ("Ørestads Boulevard", "2300", "i Ørestad"), ("Gullfossgade", "2300", "i Ørestad"),
    ]),
];

/// Where activities without a venue of their own take place ("Vi mødes i medborgerhuset").
pub const VENUES: [&str; 8] = [
    "i medborgerhuset",
    "på biblioteket",
    "i beboerhuset",
    "i sognegården",
    "i kulturhuset",
    "i fælleslokalet",
    "i aktivitetscentret",
    "i kirkens sal",
];

/// Accessibility features of indoor and of outdoor places, to draw from.
pub const INDOORS: &[&str] = &[
    "step_free_access",
    "accessible_toilet",
    "hearing_loop",
    "rest_places",
    "lift",
    "parking_nearby",
    "public_transport",
    "companion_welcome",
];
pub const OUTDOORS: &[&str] = &["rest_places", "public_transport", "parking_nearby", "companion_welcome"];
