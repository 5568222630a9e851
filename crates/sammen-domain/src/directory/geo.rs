//! Distances on the map, in metres between WGS84 points.
//!
//! The listing measures on the national grid (`GridPoint`). The coverage report uses the
//! equirectangular approximation around a point: near it, a degree of latitude and a degree
//! of longitude are fixed lengths, taken at its latitude from the WGS84 ellipsoid. It is cheap
//! enough to compute in SQL (the two lengths are bound as numbers), so the search
//! (`GET /activities?lat=&lon=`) and the coverage report measure alike; within a few kilometres in
//! Denmark it is within 0.1 % of the great-circle distance.

/// A point on the national grid: ETRS89 / UTM zone 32N (EPSG:25832), in metres east and north.
/// It is the grid Danish municipalities' own geodata uses (the address register gives both), and
/// unlike degrees it measures the same in every direction: the listing finds and orders places
/// by plain arithmetic on stored grid points, with a spatial index. Distances on it are within
/// 0.15 % of the ground distance anywhere in Denmark (Bornholm included). WGS84 and ETRS89
/// coordinates differ by well under a metre here, so either may go in.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct GridPoint {
    pub easting: f64,
    pub northing: f64,
}

impl GridPoint {
    /// The grid point of a latitude and longitude (degrees): the transverse Mercator projection
    /// with Krüger's series to the third order in n (millimetre accuracy).
    pub fn from_wgs84(lat: f64, lon: f64) -> Self {
        // GRS80, UTM zone 32: central meridian 9° E, scale 0.9996, false easting 500 km.
        const A: f64 = 6_378_137.0;
        const F: f64 = 1.0 / 298.257_222_101;
        const K0: f64 = 0.9996;
        const CENTRAL_MERIDIAN: f64 = 9.0;
        const FALSE_EASTING: f64 = 500_000.0;
        let n = F / (2.0 - F);
        let rectifying = A / (1.0 + n) * (1.0 + n * n / 4.0 + n.powi(4) / 64.0);
        let alpha = [
            n / 2.0 - 2.0 * n * n / 3.0 + 5.0 * n.powi(3) / 16.0,
            13.0 * n * n / 48.0 - 3.0 * n.powi(3) / 5.0,
            61.0 * n.powi(3) / 240.0,
        ];
        let (phi, dlambda) = (lat.to_radians(), (lon - CENTRAL_MERIDIAN).to_radians());
        let e = 2.0 * n.sqrt() / (1.0 + n);
        let t = (phi.sin().atanh() - e * (e * phi.sin()).atanh()).sinh();
        let xi = t.atan2(dlambda.cos());
        let eta = (dlambda.sin() / (1.0 + t * t).sqrt()).atanh();
        let (mut x, mut y) = (eta, xi);
        for (j, a) in alpha.iter().enumerate() {
            let k = 2.0 * (j + 1) as f64;
            x += a * (k * xi).cos() * (k * eta).sinh();
            y += a * (k * xi).sin() * (k * eta).cosh();
        }
        GridPoint { easting: FALSE_EASTING + K0 * rectifying * x, northing: K0 * rectifying * y }
    }

    /// The squared straight-line distance to `other`, in square metres.
    pub fn distance_sq(&self, other: &GridPoint) -> f64 {
        let (dx, dy) = (other.easting - self.easting, other.northing - self.northing);
        dx * dx + dy * dy
    }
}

/// Metres per degree of latitude at latitude `lat` (degrees), on the WGS84 ellipsoid.
pub fn metres_per_degree_lat(lat: f64) -> f64 {
    let phi = lat.to_radians();
    111_132.954 - 559.822 * (2.0 * phi).cos() + 1.175 * (4.0 * phi).cos()
}

/// Metres per degree of longitude at latitude `lat` (degrees), on the WGS84 ellipsoid.
pub fn metres_per_degree_lon(lat: f64) -> f64 {
    let phi = lat.to_radians();
    111_412.84 * phi.cos() - 93.5 * (3.0 * phi).cos()
}

/// The straight-line ("as the crow flies") distance in metres from `from` to `to`, each
/// `(lat, lon)`, with the degree lengths taken at `from`'s latitude (as the search does around
/// its centre point).
pub fn straight_line_m(from: (f64, f64), to: (f64, f64)) -> f64 {
    let dy = (to.0 - from.0) * metres_per_degree_lat(from.0);
    let dx = (to.1 - from.1) * metres_per_degree_lon(from.0);
    (dy * dy + dx * dx).sqrt()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grid_points_match_the_reference_projection_to_the_millimetre() {
        // From PROJ (pyproj 3, EPSG:4258 -> EPSG:25832).
        for (lat, lon, easting, northing) in [
            (55.6761, 12.5683, 724_351.928_6, 6_175_804.022_1), // Copenhagen City Hall
            (57.7209, 10.5842, 594_363.125_5, 6_398_740.827_2), // Skagen
            (55.1009, 14.7066, 863_917.835_8, 6_120_903.692_4), // Rønne, Bornholm
            (55.4765, 8.4594, 465_829.818_3, 6_147_950.765_5),  // Esbjerg
            (56.0, 9.0, 500_000.0, 6_206_079.587_1),            // on the central meridian
        ] {
            let p = GridPoint::from_wgs84(lat, lon);
            assert!((p.easting - easting).abs() < 0.002, "{lat},{lon}: easting {} vs {easting}", p.easting);
            assert!((p.northing - northing).abs() < 0.002, "{lat},{lon}: northing {} vs {northing}", p.northing);
        }
    }

    #[test]
    fn grid_distances_are_within_a_fraction_of_a_percent_of_the_ground() {
        // Nørreport to Rådhuspladsen (823.5 m on the ellipsoid), and 5 km across the city.
        for (from, to, geodesic) in
            [((55.6833, 12.5713), (55.6761, 12.5683), 823.5), ((55.70, 12.50), (55.73, 12.56), 5037.6)]
        {
            let d = GridPoint::from_wgs84(from.0, from.1).distance_sq(&GridPoint::from_wgs84(to.0, to.1)).sqrt();
            assert!((d - geodesic).abs() / geodesic < 0.0015, "{d} vs {geodesic}");
        }
    }

    #[test]
    fn distances_match_known_ones_in_copenhagen() {
        // Within 0.1 % of the geodesic distance on the WGS84 ellipsoid (Vincenty): Nørreport to Rådhuspladsen
        // (824 m), and 5 km across the city (5,038 m).
        for (from, to, geodesic) in
            [((55.6833, 12.5713), (55.6761, 12.5683), 823.5), ((55.70, 12.50), (55.73, 12.56), 5037.6)]
        {
            let d = straight_line_m(from, to);
            assert!((d - geodesic).abs() / geodesic < 0.001, "{d} vs {geodesic}");
        }
        // One kilometre due north, and one due east.
        assert!(
            (straight_line_m((55.7, 12.5), (55.7 + 1000.0 / metres_per_degree_lat(55.7), 12.5)) - 1000.0).abs() < 1e-6
        );
        let east = 1000.0 / metres_per_degree_lon(55.7);
        assert!((straight_line_m((55.7, 12.5), (55.7, 12.5 + east)) - 1000.0).abs() < 1e-6);
        assert_eq!(straight_line_m((55.7, 12.5), (55.7, 12.5)), 0.0);
    }
}
